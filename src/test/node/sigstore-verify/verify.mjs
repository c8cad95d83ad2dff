// Verifies one Sigstore bundle with sigstore-js (@sigstore/verify), offline, against a trusted root
// given as a file and one signer key given as PEM. No TUF, no network: everything the verifier
// trusts is on the command line.
//
//   node verify.mjs --bundle B --trusted-root TR --artifact F --key PEM [--type predicateType]
//
// Exit 0 and "OK ..." on stdout when the bundle verifies; exit 1 and "FAIL <code>: <message>" on
// stderr when it does not; exit 2 on bad usage.
import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';

const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

class Refused extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

function usage(message) {
  process.stderr.write(`${message}\nusage: node verify.mjs --bundle B --trusted-root TR --artifact F --key PEM [--type predicateType]\n`);
  process.exit(2);
}

function args() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        bundle: { type: 'string' },
        'trusted-root': { type: 'string' },
        artifact: { type: 'string' },
        key: { type: 'string' },
        type: { type: 'string' },
      },
      strict: true,
    }));
  } catch (e) {
    usage(e.message);
  }
  for (const required of ['bundle', 'trusted-root', 'artifact', 'key']) {
    if (!values[required]) {
      usage(`missing --${required}`);
    }
  }
  return values;
}

// The bundle names its key only by hint (base64 SHA-256 of the key's DER SubjectPublicKeyInfo);
// the one key we were given answers to that hint and to no other, so a bundle naming another key
// is refused rather than checked against ours.
function keyFinder(pem) {
  const publicKey = createPublicKey(pem);
  const hint = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
  return (bundleHint) => {
    if (bundleHint !== hint) {
      throw new Refused('PUBLIC_KEY_ERROR', `bundle names key hint "${bundleHint}", the given key's hint is "${hint}"`);
    }
    return { publicKey, validFor: () => true };
  };
}

// sigstore-js checks the DSSE signature and its log entry, not what the statement says: binding the
// statement to the artifact (subject digest) and to the expected predicate type is the caller's
// job, as it is cosign verify-blob-attestation's.
function checkStatement(bundle, artifact, predicateType) {
  const env = bundle.content.dsseEnvelope;
  if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new Refused('STATEMENT_ERROR', `payloadType is "${env.payloadType}", expected "${IN_TOTO_PAYLOAD_TYPE}"`);
  }
  const statement = JSON.parse(Buffer.from(env.payload).toString('utf8'));
  const sha256 = createHash('sha256').update(artifact).digest('hex');
  const subjects = (statement.subject ?? []).map((s) => s?.digest?.sha256);
  if (!subjects.includes(sha256)) {
    throw new Refused('STATEMENT_ERROR', `no subject has sha256 ${sha256} (subjects: ${subjects.join(', ') || 'none'})`);
  }
  if (predicateType !== undefined && statement.predicateType !== predicateType) {
    throw new Refused('STATEMENT_ERROR', `predicateType is "${statement.predicateType}", expected "${predicateType}"`);
  }
  return statement.predicateType;
}

function main() {
  const opts = args();
  const bundle = bundleFromJSON(JSON.parse(readFileSync(opts.bundle, 'utf8')));
  const root = TrustedRoot.fromJSON(JSON.parse(readFileSync(opts['trusted-root'], 'utf8')));
  const artifact = readFileSync(opts.artifact);
  const trust = toTrustMaterial(root, keyFinder(readFileSync(opts.key, 'utf8')));
  // One log entry, proven by its SET and by its inclusion proof against a signed checkpoint; the
  // one timestamp required is the SET-signed integrated time. No CA, no CT log, no TSA.
  const verifier = new Verifier(trust, { tlogThreshold: 1, ctlogThreshold: 0, timestampThreshold: 1 });

  let predicateType;
  if (bundle.content.$case === 'dsseEnvelope') {
    predicateType = checkStatement(bundle, artifact, opts.type);
  } else if (opts.type !== undefined) {
    throw new Refused('STATEMENT_ERROR', `--type ${opts.type} given, but the bundle holds a message signature, not an attestation`);
  }
  verifier.verify(toSignedEntity(bundle, artifact));

  const entry = bundle.verificationMaterial.tlogEntries[0];
  process.stdout.write(`OK ${bundle.content.$case} logIndex=${entry.logIndex} integratedTime=${entry.integratedTime}`
    + (predicateType ? ` predicateType=${predicateType}` : '') + '\n');
}

try {
  main();
} catch (e) {
  process.stderr.write(`FAIL ${e.code ?? e.name}: ${e.message}\n`);
  process.exit(1);
}
