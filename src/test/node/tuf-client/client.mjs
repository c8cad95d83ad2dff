// Updates from a TUF repository with the npm TUF clients, offline: the only inputs are a mirror URL
// (the appliance's /tuf/ over loopback HTTP), an initial root.json file and an empty cache dir.
//
//   node client.mjs --mirror URL --root FILE --cache DIR [--client tuf-js|sigstore-tuf]
//                   [--target NAME]... [--at ISO-8601]
//
// --client tuf-js (default) drives tuf-js's Updater directly; sigstore-tuf drives @sigstore/tuf's
// initTUF/getTrustedRoot, the path sigstore-js itself takes, pointed at the mirror instead of the
// public-good CDN. --at makes tuf-js judge expiry as of that instant (the other clients' clock
// option; tuf-js has none, so the trusted set's reference time is set after construction).
//
// Exit 0 with one line per target, "TARGET <name> <sha256> <length>", then "ROOT <version>" (the
// trusted root version after the update); exit 1 and "FAIL <error class>: <message>" on stderr
// when the update or a download is refused; exit 2 on bad usage.
import { createHash } from 'node:crypto';
import { readFileSync, mkdirSync, copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Updater } from 'tuf-js';
import { initTUF, getTrustedRoot } from '@sigstore/tuf';

function usage(message) {
  process.stderr.write(`${message}\nusage: node client.mjs --mirror URL --root FILE --cache DIR `
    + '[--client tuf-js|sigstore-tuf] [--target NAME]... [--at ISO-8601]\n');
  process.exit(2);
}

function args() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        mirror: { type: 'string' },
        root: { type: 'string' },
        cache: { type: 'string' },
        client: { type: 'string', default: 'tuf-js' },
        target: { type: 'string', multiple: true, default: [] },
        at: { type: 'string' },
      },
      strict: true,
    }));
  } catch (e) {
    usage(e.message);
  }
  for (const required of ['mirror', 'root', 'cache']) {
    if (!values[required]) {
      usage(`missing --${required}`);
    }
  }
  if (!['tuf-js', 'sigstore-tuf'].includes(values.client)) {
    usage(`unknown --client ${values.client}`);
  }
  if (values.at !== undefined && (values.client !== 'tuf-js' || Number.isNaN(Date.parse(values.at)))) {
    usage('--at takes an ISO-8601 instant and only applies to --client tuf-js');
  }
  values.mirror = values.mirror.replace(/\/+$/, '');
  return values;
}

function describe(name, file) {
  const bytes = readFileSync(file);
  return `TARGET ${name} ${createHash('sha256').update(bytes).digest('hex')} ${bytes.length}`;
}

function trustedRootVersion(metadataDir) {
  return JSON.parse(readFileSync(join(metadataDir, 'root.json'), 'utf8')).signed.version;
}

async function withTufJs(a) {
  const targetDir = join(a.cache, 'targets');
  mkdirSync(targetDir, { recursive: true });
  // tuf-js starts from root.json in its metadata dir; a fresh cache is seeded with ours.
  if (!existsSync(join(a.cache, 'root.json'))) {
    copyFileSync(a.root, join(a.cache, 'root.json'));
  }
  const updater = new Updater({
    metadataBaseUrl: a.mirror,
    targetBaseUrl: `${a.mirror}/targets`,
    metadataDir: a.cache,
    targetDir,
    config: { fetchRetry: 0, fetchTimeout: 10000 },
  });
  if (a.at) {
    updater.trustedSet.referenceTime = new Date(a.at);
  }
  await updater.refresh();
  const lines = [];
  for (const name of a.target) {
    const info = await updater.getTargetInfo(name);
    if (!info) {
      throw new Error(`target ${name} not listed in targets metadata`);
    }
    const path = (await updater.findCachedTarget(info)) ?? (await updater.downloadTarget(info));
    lines.push(describe(name, path));
  }
  lines.push(`ROOT ${trustedRootVersion(a.cache)}`);
  return lines;
}

async function withSigstoreTuf(a) {
  const options = { mirrorURL: a.mirror, rootPath: a.root, cachePath: a.cache, retry: 0, timeout: 10000 };
  const client = await initTUF(options);
  const lines = [];
  for (const name of a.target) {
    const text = await client.getTarget(name);
    lines.push(`TARGET ${name} ${createHash('sha256').update(text, 'utf8').digest('hex')} ${Buffer.byteLength(text, 'utf8')}`);
  }
  // What sigstore-js verifiers load: the trusted root parsed as protobuf-specs TrustedRoot.
  const trusted = await getTrustedRoot(options);
  lines.push(`TLOGS ${trusted.tlogs.length}`);
  // @sigstore/tuf keeps each mirror's metadata in a subdir named for the mirror's host and path.
  const url = new URL(a.mirror);
  lines.push(`ROOT ${trustedRootVersion(join(a.cache, encodeURIComponent(url.host + url.pathname.replace(/\/$/, ''))))}`);
  return lines;
}

const a = args();
try {
  const lines = a.client === 'tuf-js' ? await withTufJs(a) : await withSigstoreTuf(a);
  process.stdout.write(lines.join('\n') + '\n');
} catch (e) {
  // @sigstore/tuf wraps tuf-js's error; its cause names what was refused.
  const causes = [];
  for (let c = e; c; c = c.cause) {
    causes.push(`${c.constructor?.name ?? 'Error'}: ${c.message}`);
  }
  process.stderr.write(`FAIL ${causes.join(' <- ')}\n`);
  process.exit(1);
}
