// Flowhive's first page: reads /api/v1 and refreshes every few seconds. Numbers are shown exactly as the API gives them, humanised.
'use strict';

const REFRESH_MS = 3000;
const state = { ifid: null, sort: 'bytes', order: 'desc' };

const $ = (id) => document.getElementById(id);

function bytes(n) {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
  return `${i === 0 ? n : n.toFixed(2)} ${units[i]}`;
}

function bits(n) {
  const units = ['bps', 'Kbps', 'Mbps', 'Gbps', 'Tbps'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
  return `${n.toFixed(i === 0 ? 0 : 2)} ${units[i]}`;
}

const count = (n) => Number(n).toLocaleString();
const time = (epochSeconds) => epochSeconds ? new Date(epochSeconds * 1000).toLocaleString() : '–';
const duration = (s) => s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
const endpoint = (e) => (e.ip.includes(':') ? `[${e.ip}]` : e.ip) + (e.port ? `:${e.port}` : '');

async function api(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

function cell(row, text, numeric) {
  const td = row.insertCell();
  td.textContent = text;
  if (numeric) td.className = 'num';
  return td;
}

async function loadInterfaces() {
  const interfaces = await api('/api/v1/interfaces');
  const select = $('interface');
  select.replaceChildren(...interfaces.map((i) => new Option(`${i.ifid}: ${i.name}`, i.ifid)));
  if (interfaces.length > 0) state.ifid = interfaces[0].ifid;
  select.addEventListener('change', () => { state.ifid = Number(select.value); refresh(); });
}

async function refresh() {
  if (state.ifid === null) return;
  try {
    const [summary, hosts, flows] = await Promise.all([
      api(`/api/v1/interfaces/${state.ifid}`),
      api(`/api/v1/interfaces/${state.ifid}/hosts?sort=${state.sort}&order=${state.order}&limit=25`),
      api(`/api/v1/interfaces/${state.ifid}/flows?limit=25`),
    ]);
    $('s-bytes').textContent = bytes(summary.bytes);
    $('s-packets').textContent = count(summary.packets);
    $('s-throughput').textContent = bits(summary.throughput_bps);
    $('s-hosts').textContent = count(summary.hosts);
    $('s-active-flows').textContent = count(summary.active_flows);
    $('s-flows').textContent = count(summary.flows_seen);
    $('s-zmq').textContent = count(summary.zmqRecvStats.zmq_msg_rcvd);
    $('s-drops').textContent = count(summary.zmqRecvStats.zmq_msg_drops);

    const hostBody = $('hosts').tBodies[0];
    hostBody.replaceChildren();
    for (const h of hosts.hosts) {
      const row = hostBody.insertRow();
      cell(row, h.vlan ? `${h.ip} @ VLAN ${h.vlan}` : h.ip);
      cell(row, h.mac ?? '');
      cell(row, bytes(h.bytes_sent), true);
      cell(row, bytes(h.bytes_rcvd), true);
      cell(row, bytes(h.bytes_total), true);
      cell(row, count(h.packets_total), true);
      cell(row, count(h.flows_as_client + h.flows_as_server), true);
      cell(row, bits(h.throughput_bps), true);
      cell(row, time(h.last_seen));
    }

    const flowBody = $('flows').tBodies[0];
    flowBody.replaceChildren();
    for (const f of flows.flows) {
      const row = flowBody.insertRow();
      cell(row, f.protocol.l4);
      cell(row, endpoint(f.client));
      cell(row, endpoint(f.server));
      cell(row, bytes(f.bytes), true);
      cell(row, count(f.packets), true);
      cell(row, duration(f.duration), true);
      cell(row, f.info ?? '');
    }

    $('status').textContent = `updated ${new Date().toLocaleTimeString()} · ${count(hosts.total)} hosts, ${count(flows.total)} active flows`;
  } catch (e) {
    $('status').textContent = `API unavailable: ${e.message}`;
  }
}

function setupSorting() {
  for (const th of document.querySelectorAll('#hosts th[data-sort]')) {
    const choose = () => {
      const column = th.dataset.sort;
      state.order = state.sort === column && state.order === 'desc' ? 'asc' : 'desc';
      state.sort = column;
      for (const other of document.querySelectorAll('#hosts th[data-sort]')) other.removeAttribute('aria-sort');
      th.setAttribute('aria-sort', state.order === 'desc' ? 'descending' : 'ascending');
      refresh();
    };
    th.addEventListener('click', choose);
    th.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); choose(); } });
  }
  document.querySelector('#hosts th[data-sort="bytes"]').setAttribute('aria-sort', 'descending');
}

(async () => {
  setupSorting();
  try {
    await loadInterfaces();
  } catch (e) {
    $('status').textContent = `API unavailable: ${e.message}`;
  }
  await refresh();
  setInterval(refresh, REFRESH_MS);
})();
