// Fills the console from /console/api/summary. Every value goes in as text (never as markup):
// audit subjects and details come from outside (admission requests, bundle producers).
'use strict';
(function () {
  function text(id, value) {
    document.getElementById(id).textContent = value === undefined || value === null ? '–' : String(value);
  }

  function row(tbodyId, cells, cls) {
    const tr = document.createElement('tr');
    if (cls) tr.className = cls;
    for (const c of cells) {
      const td = document.createElement('td');
      if (c && typeof c === 'object') {
        td.textContent = c.text;
        td.className = c.cls;
      } else {
        td.textContent = c === undefined || c === null ? '' : String(c);
      }
      tr.appendChild(td);
    }
    document.getElementById(tbodyId).appendChild(tr);
  }

  function empty(tbodyId, columns, message) {
    const body = document.getElementById(tbodyId);
    if (body.children.length === 0) {
      row(tbodyId, [message].concat(new Array(columns - 1).fill('')), 'muted');
    }
  }

  function cls(value) {
    return String(value).replace(/[^A-Za-z0-9]+/g, '-');
  }

  function render(s) {
    text('generated', 'as of ' + s.generatedAt);
    const log = s.log;
    if (log.state === 'open') {
      text('log-size', log.treeSize);
      text('log-root', log.rootHash);
      text('log-origin', log.origin);
      text('log-time', log.checkpointTime);
      text('log-checkpoint', log.checkpoint);
    } else {
      text('log-size', 'unavailable: ' + log.reason);
    }

    for (const h of s.health) {
      const details = Object.entries(h.data || {}).map(([k, v]) => k + '=' + v).join('; ');
      row('health-rows', [h.name, {text: h.status, cls: h.status}, details]);
    }

    const t = s.trustRoot;
    text('trust-version', t.currentVersion);
    for (const e of t.entries) {
      row('trust-entries', [e.kind, e.name, e.validFrom, e.expires || 'no end', {text: e.status, cls: cls(e.status)}]);
    }
    for (const v of t.versions) {
      row('trust-versions', [v.version, v.createdAt, v.actor, v.reason]);
    }
    empty('trust-entries', 5, 'no trust root yet');

    for (const b of s.bundles) {
      row('bundle-rows', [b.at, b.producer, b.sequence, {text: b.outcome, cls: cls(b.outcome)}, b.actor]);
    }
    empty('bundle-rows', 5, 'no bundle imported yet');

    for (const a of s.admissions) {
      row('admission-rows', [{text: a.outcome, cls: cls(a.outcome)}, a.at, a.subject, a.detail], 'decision-' + cls(a.outcome));
    }
    empty('admission-rows', 4, 'no admission decision yet');

    for (const m of s.maintenance) {
      row('maintenance-rows', [m.at, m.kind, m.subject, {text: m.outcome, cls: cls(m.outcome)}, m.actor]);
    }
    empty('maintenance-rows', 5, 'no backup or restore yet');
    document.body.dataset.loaded = 'true';
  }

  fetch('/console/api/summary', {credentials: 'same-origin', cache: 'no-store'})
    .then(function (r) {
      if (r.status === 401) {
        location.replace('/console/login');
        throw new Error('not logged in');
      }
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    })
    .then(render)
    .catch(function (e) {
      const p = document.getElementById('error');
      p.textContent = 'Cannot load the console data: ' + e.message;
      p.hidden = false;
    });
})();
