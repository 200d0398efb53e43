'use strict';
// The RingRift console: plain JS, no build step. Reads poll the node's /api (JSON); live events
// come over server-sent events. An action is one POST; its answer (or refusal) is shown as is and
// never retried by the page.

const POLL_MS = 1000;
const QUEUE_POLL_MS = 2000;
const CHART_POINTS = 150; // 5 minutes at one point per 2 s
const EVENTS_KEPT = 300;

// ---------- small helpers ----------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// replaceChildren that takes what el() takes: nested arrays, strings, nothing.
function fill(node, ...children) {
  node.replaceChildren();
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function time(ms) {
  if (!ms) return '';
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function ago(ms) {
  if (!ms) return '';
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  return s < 120 ? s + ' s ago' : Math.round(s / 60) + ' min ago';
}

function badge(text, kind) {
  return el('span', { class: 'badge ' + (kind || '') }, text);
}

function table(headers, rows, testid) {
  return el('table', { 'data-testid': testid },
    el('thead', {}, el('tr', {}, headers.map(h => el('th', { class: h.num ? 'num' : '' }, h.label || h)))),
    el('tbody', {}, rows));
}

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || ('HTTP ' + status));
    this.status = status;
    this.code = body && body.code;
  }
}

async function get(path) {
  const response = await fetch(path, { cache: 'no-store' });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

function showResult(ok, text) {
  const box = document.getElementById('action-result');
  box.hidden = false;
  box.className = ok ? 'ok' : 'error';
  box.textContent = text;
}

// One POST per click. Whatever the cluster answers (or refuses) is shown; nothing is retried.
async function act(label, path, params, after) {
  showResult(true, label + ': sent, waiting for the cluster…');
  let response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'X-RingRift-Console': '1', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params),
    });
  } catch (e) {
    showResult(false, label + ': no answer (' + e.message + '). The action may or may not have been applied; '
      + 'check the state before trying again.');
    return;
  }
  const body = await response.json().catch(() => null);
  if (response.ok) {
    showResult(true, label + ': done. ' + summarize(body));
  } else {
    showResult(false, label + ': refused by the cluster (' + (body && body.code || response.status) + '): '
      + (body && body.error || 'HTTP ' + response.status));
  }
  if (after) after();
}

function summarize(body) {
  if (!body) return '';
  if (body.items) return body.items.map(i => i.id + ' is now ' + i.state).join(', ') || 'no item changed';
  if (body.id && body.state) return body.id + ' is now ' + body.state;
  if (body.node_id && body.health) return body.node_id + ': ' + body.health + (body.draining ? ', draining' : '')
    + (body.blacklisted_until_ms ? ', blacklisted until ' + time(body.blacklisted_until_ms) : '');
  if (body.name && 'enabled' in body) return body.name + ' desired ' + (body.enabled ? 'running' : 'stopped');
  if (body.name && body.state) return body.name + ' is ' + body.state;
  return JSON.stringify(body);
}

// ---------- header: leader, term, liveness; refreshed on every page ----------

const shared = { cluster: null, lastOk: 0 };

async function refreshCluster() {
  try {
    shared.cluster = await get('/api/cluster');
    shared.lastOk = Date.now();
    document.getElementById('leader-id').textContent = shared.cluster.leader_id || 'none';
    document.getElementById('term').textContent = shared.cluster.term;
    document.getElementById('self-id').textContent = shared.cluster.node_id;
    document.getElementById('live').classList.remove('stale');
    document.getElementById('live').textContent = 'live ' + new Date().toLocaleTimeString();
  } catch (e) {
    shared.cluster = null;
    document.getElementById('leader-id').textContent = 'unknown';
    document.getElementById('live').classList.add('stale');
    document.getElementById('live').textContent = 'no answer: ' + e.message;
  }
  return shared.cluster;
}

async function refreshCaller() {
  try {
    const me = await get('/api/whoami');
    document.getElementById('caller').textContent = me.caller;
  } catch (e) {
    document.getElementById('caller').textContent = e.message;
  }
}

// ---------- pages ----------

const pages = {};
let current = null;

function route() {
  const name = (location.hash.replace(/^#\/?/, '').split('?')[0]) || 'cluster';
  const page = pages[name] ? name : 'cluster';
  if (current && current.stop) current.stop();
  document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', a.dataset.page === page));
  const root = document.getElementById('page');
  fill(root);
  root.dataset.page = page;
  current = pages[page](root) || {};
}

function every(ms, fn) {
  let stopped = false;
  let timer = null;
  const tick = async () => {
    try { await fn(); } catch (e) { /* each page shows its own errors */ }
    if (!stopped) timer = setTimeout(tick, ms);
  };
  tick();
  return () => { stopped = true; clearTimeout(timer); };
}

function errorLine(e) {
  return el('p', { class: 'error-text' }, e.code ? e.code + ': ' + e.message : e.message);
}

// --- cluster ---
pages.cluster = root => {
  const members = el('section', {}, el('h2', {}, 'Members'));
  const health = el('section', {}, el('h2', {}, 'Alerts and state digests'));
  const history = el('section', {}, el('h2', {}, 'Leader history'));
  root.append(members, health, history);
  const stop = every(POLL_MS, async () => {
    const c = await refreshCluster();
    if (!c) return;
    fill(members, el('h2', {}, 'Members (' + c.members.length + ')'),
      table(['node', 'membership', 'role', 'term', 'leader seen', { label: 'commit', num: 1 },
        { label: 'applied', num: 1 }, { label: 'lag', num: 1 }, 'alerts', 'admin'],
        c.members.map(m => el('tr', { 'data-testid': 'member-' + m.id, 'data-role': m.role || 'UNREACHABLE' },
          el('td', {}, el('b', {}, m.id), m.id === c.node_id ? ' (this node)' : ''),
          el('td', {}, m.membership),
          el('td', {}, m.reachable ? badge(m.role, m.role === 'LEADER' ? 'ok' : '')
            : badge('unreachable', 'bad'), m.reachable ? '' : el('div', { class: 'muted' }, m.error)),
          el('td', {}, m.term ?? ''),
          el('td', {}, m.leader_id ?? ''),
          el('td', { class: 'num' }, m.commit_index ?? ''),
          el('td', { class: 'num' }, m.applied_index ?? ''),
          el('td', { class: 'num' }, m.lag === undefined ? '' : badge(m.lag, m.lag > 1000 ? 'warn' : 'ok')),
          el('td', {}, (m.firing_alerts || []).map(a => badge(a, 'bad'))),
          el('td', { class: 'muted' }, m.admin_address || ''))), 'members'));
    const firing = (c.alerts || []).filter(a => a.firing);
    const d = c.digests;
    fill(health, el('h2', {}, 'Alerts and state digests'),
      el('p', {}, 'Quorum: ', c.voter_quorum_ok ? badge('ok', 'ok') : badge('lost', 'bad')),
      el('p', { 'data-testid': 'digests' }, 'Digests: ',
        badge(d.verdict, d.verdict === 'agree' ? 'ok' : d.verdict === 'disagree' ? 'bad' : 'warn'), ' ', d.detail),
      firing.length === 0 ? el('p', { 'data-testid': 'alerts' }, 'No alert firing on ' + c.node_id + '.')
        : table(['alert', 'since', 'detail'], firing.map(a => el('tr', {}, el('td', {}, badge(a.name, 'bad')),
          el('td', {}, time(a.since_ms)), el('td', {}, a.detail))), 'alerts'));
    fill(history, el('h2', {}, 'Leader history'),
      table(['term', 'leader', 'since'], (c.leader_history || []).map(h => el('tr', {},
        el('td', {}, h.term), el('td', {}, h.leader_id), el('td', {}, time(h.since_ms) + ' (' + ago(h.since_ms) + ')'))),
        'leader-history'));
  });
  return { stop };
};

// --- queue ---
const STATES = ['pending', 'claimed', 'running', 'completed', 'failed', 'timeout', 'cancelled'];
const TYPES = ['training', 'gpu_cmaes', 'cpu_cmaes', 'tournament', 'gauntlet', 'selfplay', 'data_merge',
  'data_sync', 'validation', 'hyperparam_sweep'];

pages.queue = root => {
  const counts = el('section', { 'data-testid': 'queue-counts' }, el('h2', {}, 'Counts'));
  const chartBox = el('div', { 'data-testid': 'queue-chart' });
  const chart = el('section', {}, el('h2', {}, 'Last minutes (per second, from the queue counts)'), chartBox);
  const filters = el('form', { class: 'filters', 'data-testid': 'item-filters' },
    el('label', {}, 'state', el('select', { name: 'state' }, el('option', { value: '' }, 'any'),
      STATES.map(s => el('option', { value: s }, s)))),
    el('label', {}, 'type', el('select', { name: 'type' }, el('option', { value: '' }, 'any'),
      TYPES.map(t => el('option', { value: t }, t)))),
    el('label', {}, 'worker', el('input', { name: 'worker', size: 12 })),
    el('label', {}, 'id contains', el('input', { name: 'q', size: 14 })),
    el('label', {}, 'per page', el('select', { name: 'limit' }, ['25', '50', '100'].map(n => el('option', { value: n }, n)))),
    el('button', { type: 'submit' }, 'Apply'));
  const list = el('div', { 'data-testid': 'item-list' });
  const pager = el('div', {});
  const items = el('section', {}, el('h2', {}, 'Items'), filters, list, pager);
  const detail = el('section', { 'data-testid': 'item-detail', hidden: true });
  const dead = el('section', { 'data-testid': 'dead-letters' }, el('h2', {}, 'Dead letters'));
  root.append(counts, chart, dead, items, detail);

  let plot = null;
  const series = [[], [], [], [], []];
  let previous = null;
  let pageStack = [''];

  function params() {
    const data = new FormData(filters);
    const p = new URLSearchParams();
    for (const [k, v] of data.entries()) if (v) p.set(k, v);
    const after = pageStack[pageStack.length - 1];
    if (after) p.set('after', after);
    return p;
  }

  async function loadItems() {
    try {
      const r = await get('/api/queue/items?' + params());
      fill(list, itemTable(r.items, 'items'),
        el('p', { class: 'muted' }, r.items.length + ' shown of ' + r.scanned + ' read on this page'));
      fill(pager, 
        el('button', { type: 'button', disabled: pageStack.length < 2, onclick: () => { pageStack.pop(); loadItems(); } }, '← previous'),
        ' ',
        el('button', { type: 'button', 'data-testid': 'next-page', disabled: !r.next_after_id,
          onclick: () => { pageStack.push(r.next_after_id); loadItems(); } }, 'next →'));
    } catch (e) {
      fill(list, errorLine(e));
    }
  }

  async function loadDead() {
    try {
      const [failed, timeout] = await Promise.all([get('/api/queue/items?state=failed&limit=50'),
        get('/api/queue/items?state=timeout&limit=50')]);
      const letters = failed.items.concat(timeout.items);
      fill(dead, el('h2', {}, 'Dead letters (' + letters.length + ' shown: failed and timed out)'),
        letters.length === 0 ? el('p', { class: 'muted' }, 'None.') : itemTable(letters, 'dead', true));
    } catch (e) {
      fill(dead, el('h2', {}, 'Dead letters'), errorLine(e));
    }
  }

  function itemTable(rows, testid, actions) {
    return table(['id', 'type', 'state', { label: 'attempts', num: 1 }, 'worker', 'created', 'last error', actions ? '' : null]
      .filter(h => h !== null), rows.map(i => el('tr', { 'data-testid': testid + '-' + i.id, 'data-state': i.state },
      el('td', {}, el('a', { class: 'item-link', href: '#/queue', onclick: ev => { ev.preventDefault(); showItem(i.id); } }, i.id)),
      el('td', {}, i.type), el('td', {}, badge(i.state, stateKind(i.state))),
      el('td', { class: 'num' }, i.attempts + '/' + i.max_attempts),
      el('td', {}, i.claimed_by || ''), el('td', {}, time(i.created_ms)), el('td', {}, i.last_error || ''),
      actions ? el('td', { class: 'row-actions' },
        el('button', { type: 'button', 'data-testid': 'redrive-' + i.id,
          onclick: () => act('redrive ' + i.id, '/api/queue/redrive', { id: i.id }, refreshAll) }, 'Redrive'), ' ',
        el('button', { type: 'button', class: 'danger', 'data-testid': 'cancel-' + i.id,
          onclick: () => act('cancel ' + i.id, '/api/queue/cancel', { id: i.id }, refreshAll) }, 'Cancel')) : null)),
      testid);
  }

  async function showItem(id) {
    detail.hidden = false;
    fill(detail, el('h2', {}, 'Item ' + id), el('p', { class: 'muted' }, 'loading…'));
    try {
      const r = await get('/api/queue/item?id=' + encodeURIComponent(id));
      const i = r.item;
      fill(detail, el('h2', {}, 'Item ', el('span', { 'data-testid': 'detail-id' }, i.id), ' ',
          badge(i.state, stateKind(i.state))),
        el('p', {}, 'type ' + i.type + ', priority ' + i.priority + ', attempts ' + i.attempts + '/' + i.max_attempts
          + ', timeout ' + i.timeout_ms + ' ms'),
        el('p', {}, 'lease: ', i.token ? i.token + ' held by ' + (i.claimed_by || '?') + ' on ' + (i.claimed_node || '?')
          + ', expires ' + time(i.lease_expires_ms) : 'none'),
        el('p', {}, 'created ' + time(i.created_ms), i.claimed_ms ? ', claimed ' + time(i.claimed_ms) : '',
          i.finished_ms ? ', finished ' + time(i.finished_ms) : ''),
        i.last_error ? el('p', { class: 'error-text' }, 'last error: ' + i.last_error) : '',
        el('h3', {}, 'Payload'), el('pre', { 'data-testid': 'detail-payload' }, pretty(i.payload)),
        i.result ? [el('h3', {}, 'Result'), el('pre', {}, pretty(i.result))] : '',
        el('h3', {}, 'History (events naming this item, from the last ' + r.events_scanned + ')'),
        r.events.length === 0 ? el('p', { class: 'muted' }, 'No event names this item.')
          : table(['seq', 'time', 'type', 'message'], r.events.map(e => el('tr', {}, el('td', {}, e.seq),
            el('td', {}, time(e.time_ms)), el('td', {}, e.type), el('td', {}, e.message))), 'item-events'),
        el('p', {}, el('button', { type: 'button', onclick: () => act('redrive ' + i.id, '/api/queue/redrive', { id: i.id }, refreshAll) }, 'Redrive'), ' ',
          el('button', { type: 'button', class: 'danger', onclick: () => act('cancel ' + i.id, '/api/queue/cancel', { id: i.id }, refreshAll) }, 'Cancel')));
    } catch (e) {
      fill(detail, el('h2', {}, 'Item ' + id), errorLine(e));
    }
  }

  async function loadStats() {
    await refreshCluster();
    let s;
    try {
      s = await get('/api/queue/stats');
    } catch (e) {
      fill(counts, el('h2', {}, 'Counts'), errorLine(e));
      return;
    }
    fill(counts, el('h2', {}, 'Counts', s.backpressure_active ? [' ', badge('backpressure', 'bad')] : ''),
      el('div', { class: 'cards' }, STATES.map(name => el('div', { class: 'card', 'data-testid': 'count-' + name },
        name, el('b', {}, s[name])))),
      el('h3', {}, 'Pending per type'),
      Object.keys(s.pending_by_type).length === 0 ? el('p', { class: 'muted' }, 'nothing pending')
        : el('div', { class: 'cards' }, Object.entries(s.pending_by_type).map(([t, n]) => el('div', { class: 'card' }, t, el('b', {}, n)))));
    chartPoint(s);
  }

  // Rates from successive counts: approximate (retention removes finished items; a claim that
  // completes between two polls counts once, as completed).
  function chartPoint(s) {
    const total = STATES.reduce((sum, k) => sum + s[k], 0);
    const now = { t: s.time_ms / 1000, total, started: total - s.pending - s.cancelled, completed: s.completed,
      failed: s.failed + s.timeout };
    if (previous) {
      const dt = Math.max(0.001, now.t - previous.t);
      const rate = key => Math.max(0, (now[key] - previous[key]) / dt);
      series[0].push(now.t);
      series[1].push(rate('total'));
      series[2].push(rate('started'));
      series[3].push(rate('completed'));
      series[4].push(rate('failed'));
      if (series[0].length > CHART_POINTS) series.forEach(a => a.shift());
      drawChart();
    }
    previous = now;
  }

  function drawChart() {
    if (typeof uPlot === 'undefined') return;
    if (!plot) {
      plot = new uPlot({ width: Math.min(900, chartBox.clientWidth || 900), height: 220,
        series: [{}, { label: 'enqueued/s', stroke: '#2a6fdb' }, { label: 'claimed/s', stroke: '#a15c00' },
          { label: 'completed/s', stroke: '#1c7c3c' }, { label: 'failed/s', stroke: '#b42318' }],
        // The last five minutes, whatever the number of points; rates from 0 up.
        scales: { x: { time: true, range: (u, min, max) => [max - CHART_POINTS * QUEUE_POLL_MS / 1000, max] },
          y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [{}, { label: 'per second' }] }, series, chartBox);
    } else {
      plot.setData(series);
    }
  }

  function refreshAll() {
    loadStats();
    loadItems();
    loadDead();
  }

  filters.addEventListener('submit', ev => { ev.preventDefault(); pageStack = ['']; loadItems(); });
  loadItems();
  const stopStats = every(QUEUE_POLL_MS, loadStats);
  const stopDead = every(5000, loadDead);
  return { stop: () => { stopStats(); stopDead(); } };
};

function stateKind(state) {
  return state === 'completed' ? 'ok' : state === 'failed' || state === 'timeout' ? 'bad'
    : state === 'cancelled' ? '' : 'warn';
}

function pretty(text) {
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; }
}

// --- nodes ---
pages.nodes = root => {
  const box = el('section', {}, el('h2', {}, 'Nodes'));
  root.append(box);
  const load = async () => {
    await refreshCluster();
    let r;
    try { r = await get('/api/nodes'); } catch (e) { fill(box, el('h2', {}, 'Nodes'), errorLine(e)); return; }
    fill(box, el('h2', {}, 'Nodes (' + r.nodes.length + ', from their heartbeats)'),
      table(['node', 'health', 'last heartbeat', 'capabilities', 'resources', 'blacklist', 'drain', 'actions'],
        r.nodes.map(n => el('tr', { 'data-testid': 'node-' + n.node_id },
          el('td', {}, el('b', {}, n.node_id), el('div', { class: 'muted' }, (n.roles || []).join(', '))),
          el('td', {}, badge(n.health, n.health === 'alive' ? 'ok' : n.health === 'suspect' ? 'warn' : 'bad')),
          el('td', {}, ago(n.last_heartbeat_ms)),
          el('td', {}, (n.capabilities || []).join(', ')),
          el('td', { class: 'muted' }, Object.entries(n.resources || {}).map(([k, v]) => el('div', {}, k + '=' + v))),
          el('td', {}, n.blacklisted_until_ms ? [badge('until ' + time(n.blacklisted_until_ms), 'bad'),
            el('div', { class: 'muted' }, n.blacklist_reason || '')] : 'no'),
          el('td', {}, n.draining ? badge('draining', 'warn') : 'no'),
          el('td', { class: 'row-actions' },
            n.blacklisted_until_ms
              ? el('button', { type: 'button', onclick: () => act('unblacklist ' + n.node_id, '/api/nodes/unblacklist', { node: n.node_id }, load) }, 'Unblacklist')
              : el('button', { type: 'button', class: 'danger', onclick: () => act('blacklist ' + n.node_id + ' for 1 h', '/api/nodes/blacklist', { node: n.node_id, duration_ms: 3600000 }, load) }, 'Blacklist 1 h'),
            ' ',
            el('button', { type: 'button', onclick: () => act((n.draining ? 'undrain ' : 'drain ') + n.node_id, '/api/nodes/drain', { node: n.node_id, draining: !n.draining }, load) }, n.draining ? 'Undrain' : 'Drain')))),
        'nodes'));
  };
  return { stop: every(3000, load) };
};

// --- daemons ---
pages.daemons = root => {
  const box = el('section', {}, el('h2', {}, 'Daemons'));
  root.append(box);
  const load = async () => {
    await refreshCluster();
    let r;
    try { r = await get('/api/daemons'); } catch (e) { fill(box, el('h2', {}, 'Daemons'), errorLine(e)); return; }
    const desired = Object.fromEntries((r.desired || []).map(d => [d.name, d.enabled]));
    fill(box, el('h2', {}, 'Daemons per node'), r.nodes.map(n => el('div', { 'data-testid': 'daemons-' + n.node_id },
      el('h3', {}, 'Node ' + n.node_id, n.node_id === r.node_id ? ' (this node)' : ''),
      n.error ? el('p', { class: 'error-text' }, n.error) : table(['daemon', 'scope', 'state', { label: 'restarts', num: 1 },
        { label: 'last hour', num: 1 }, 'last error', 'desired', 'actions'],
      n.daemons.map(d => el('tr', { 'data-testid': 'daemon-' + n.node_id + '-' + d.name },
        el('td', {}, el('b', {}, d.name)), el('td', {}, d.scope),
        el('td', {}, badge(d.state, /RUNNING/i.test(d.state) ? 'ok' : /FAIL|CRASH/i.test(d.state) ? 'bad' : '')),
        el('td', { class: 'num' }, d.restarts), el('td', { class: 'num' }, d.restarts_last_hour),
        el('td', { class: 'error-text' }, d.last_error || ''),
        el('td', {}, (desired[d.name] ?? d.desired_enabled) ? 'running' : 'stopped'),
        el('td', { class: 'row-actions' },
          el('button', { type: 'button', onclick: () => act('start ' + d.name + ' (cluster-wide)', '/api/daemons/desired', { name: d.name, enabled: true }, load) }, 'Start'), ' ',
          el('button', { type: 'button', class: 'danger', onclick: () => act('stop ' + d.name + ' (cluster-wide)', '/api/daemons/desired', { name: d.name, enabled: false }, load) }, 'Stop'), ' ',
          n.node_id === r.node_id ? el('button', { type: 'button', onclick: () => act('restart ' + d.name + ' on ' + n.node_id, '/api/daemons/restart', { name: d.name }, load) }, 'Restart here') : ''))),
      'daemons-table-' + n.node_id))));
  };
  return { stop: every(3000, load) };
};

// --- events ---
pages.events = root => {
  const status = el('p', { class: 'muted', 'data-testid': 'events-status' }, 'connecting…');
  const rows = el('tbody', {});
  const live = el('section', {}, el('h2', {}, 'Events (live)'), status,
    el('table', { 'data-testid': 'events' }, el('thead', {}, el('tr', {}, ['seq', 'time', 'type', 'subject', 'message']
      .map(h => el('th', {}, h)))), rows));
  const sync = el('section', {}, el('h2', {}, 'Sync history'));
  root.append(live, sync);
  let lastSeq = 0;
  const add = e => {
    if (e.seq <= lastSeq) return;
    lastSeq = e.seq;
    rows.prepend(el('tr', { 'data-seq': e.seq }, el('td', {}, e.seq), el('td', {}, time(e.time_ms)),
      el('td', {}, e.type), el('td', {}, e.subject), el('td', {}, e.message)));
    while (rows.children.length > EVENTS_KEPT) rows.lastChild.remove();
  };
  let source = null;
  (async () => {
    try {
      const recent = await get('/api/events?limit=100');
      recent.events.forEach(add);
    } catch (e) {
      status.textContent = 'recent events: ' + e.message;
    }
    source = new EventSource('/api/events/stream');
    source.onopen = () => { status.textContent = 'live: new events appear at the top (at most ' + EVENTS_KEPT + ' kept)'; };
    source.onmessage = m => add(JSON.parse(m.data));
    source.onerror = () => { status.textContent = 'stream interrupted; the browser reconnects by itself'; };
  })();
  const stopSync = every(5000, async () => {
    await refreshCluster();
    try {
      const r = await get('/api/sync?limit=50');
      fill(sync, el('h2', {}, 'Sync history'), r.records.length === 0
        ? el('p', { class: 'muted' }, 'No sync transfer yet (nodes declare datasets to sync them).')
        : table(['id', 'status', 'dataset', 'file', 'from', 'to', { label: 'bytes', num: 1 }, 'finished', 'error'],
          r.records.map(s => el('tr', {}, el('td', {}, s.sync_id), el('td', {}, badge(s.status, s.status === 'completed' ? 'ok' : s.status === 'failed' ? 'bad' : '')),
            el('td', {}, s.dataset), el('td', {}, s.file), el('td', {}, s.source_node), el('td', {}, s.target_node),
            el('td', { class: 'num' }, s.bytes_done + '/' + s.size_bytes), el('td', {}, time(s.finished_ms)),
            el('td', { class: 'error-text' }, s.error || ''))), 'sync'));
    } catch (e) {
      fill(sync, el('h2', {}, 'Sync history'), errorLine(e));
    }
  });
  return { stop: () => { stopSync(); if (source) source.close(); } };
};

// ---------- start ----------

window.addEventListener('hashchange', route);
refreshCaller();
route();
