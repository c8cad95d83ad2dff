// Trades the write token, or a one-time code from the URL fragment, for an HttpOnly session cookie.
'use strict';
(function () {
  const status = document.getElementById('status');

  async function open(body) {
    const r = await fetch('/console/session', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify(body)
    });
    if (r.status === 204) {
      location.replace('/console');
      return;
    }
    let message = 'HTTP ' + r.status;
    try { message = (await r.json()).message || message; } catch (e) { /* not JSON */ }
    status.textContent = 'Login refused: ' + message;
    status.hidden = false;
  }

  document.getElementById('login').addEventListener('submit', function (ev) {
    ev.preventDefault();
    open({token: document.getElementById('token').value});
  });

  const m = /^#code=([A-Za-z0-9_-]+)$/.exec(location.hash);
  if (m) {
    // The code is single-use; drop it from the address bar and history at once.
    history.replaceState(null, '', '/console/login');
    open({code: m[1]});
  }
})();
