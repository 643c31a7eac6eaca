// The status page: polls /api/status once a second (with several scales, for the one named after # in the address,
// e.g. #keg-2, chosen from the list of scales at the top), draws the weight plot as an SVG polyline, and sends
// the buttons' POSTs with Spring Security's CSRF token (the XSRF-TOKEN cookie as the X-XSRF-TOKEN header, or as the
// log-out form's _csrf field).
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const text = (id, value) => { $(id).textContent = value === undefined || value === null ? '–' : String(value); };

  function csrfToken() {
    const cookie = document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN='));
    return cookie ? decodeURIComponent(cookie.substring('XSRF-TOKEN='.length)) : '';
  }

  function plot(points, seconds) {
    const line = $('plot-line');
    if (points.length === 0) { line.setAttribute('points', ''); return; }
    const end = Date.now();
    const start = end - seconds * 1000;
    const weights = points.map((p) => Number(p[1]));
    let min = Math.min(...weights), max = Math.max(...weights);
    if (max - min < 0.01) { min -= 0.005; max += 0.005; }
    line.setAttribute('points', points.map((p) => {
      const x = Math.max(0, (p[0] - start) / (end - start)) * 600;
      const y = 195 - (Number(p[1]) - min) / (max - min) * 190;
      return x.toFixed(1) + ',' + y.toFixed(1);
    }).join(' '));
    text('plot-min', min.toFixed(3));
    text('plot-max', max.toFixed(3));
  }

  const chosenScale = () => decodeURIComponent(location.hash.substring(1));
  const forScale = (path) => chosenScale() ? path + '?scale=' + encodeURIComponent(chosenScale()) : path;

  function listScales(status) {
    const nav = $('scales');
    nav.hidden = status.scales.length < 2;
    if (nav.dataset.scales !== status.scales.join(',')) {
      nav.dataset.scales = status.scales.join(',');
      nav.replaceChildren(...status.scales.map((id) => {
        const link = document.createElement('a');
        link.href = '#' + encodeURIComponent(id);
        link.textContent = id;
        return link;
      }));
    }
    nav.querySelectorAll('a').forEach((link) => {
      const current = link.textContent === status.deviceId;
      if (current) { link.setAttribute('aria-current', 'page'); } else { link.removeAttribute('aria-current'); }
    });
  }

  function show(status) {
    listScales(status);
    text('device', status.deviceId);
    text('weight', status.weightText);
    text('stable', status.weightText === undefined ? '' : status.stable ? 'stable' : 'settling');
    text('read-at', status.readAt ? new Date(status.readAt).toLocaleTimeString() : null);
    text('history-minutes', Math.round(status.historySeconds / 60));
    plot(status.history, status.historySeconds);
    const broker = status.broker;
    text('broker-state', broker.connected ? 'connected' : 'not connected');
    text('broker-url', broker.url);
    $('broker-problem').hidden = !broker.problem;
    text('broker-problem', broker.problem);
    $('storage-problem').hidden = !status.storageProblem;
    text('storage-problem', status.storageProblem);
    const refused = status.refused;
    $('refused').hidden = !refused;
    if (refused) {
      text('refused', refused.waiting + ' readings the broker refused are set aside'
        + (refused.last ? ' (last: ' + refused.last + ')' : '') + '; send ' + refused.resend);
    }
    $('sensor-problem').hidden = !status.sensorProblem;
    text('sensor-problem', status.sensorProblem);
    text('last-publish', status.lastPublish
      ? status.lastPublish.weight + ' kg at ' + new Date(status.lastPublish.at).toLocaleTimeString() : 'none yet');
    const event = status.lastEvent;
    text('last-event', event
      ? event.type + ' ' + event.deltaText + ' kg at ' + new Date(event.at).toLocaleTimeString() : 'none yet');
    const c = status.counters;
    text('readings', c.readings);
    text('rejected', c.rejectedSamples);
    text('timeouts', c.timeouts);
    text('published', c.published);
    text('waiting-in-outbox', c.waitingInOutbox);
    if (status.calibration.trusted) {
      text('calibration', status.calibration.offset + ' / ' + status.calibration.countsPerKg.toFixed(2));
      text('known-weights', status.calibration.knownWeightsKg.join(', ') + ' kg');
    } else {
      text('calibration', 'none to trust (see the problem above)');
      text('known-weights', 'none');
    }
    text('zero-shift', status.calibration.zeroShiftKg.toFixed(4) + ' kg');
    const problems = $('scale-problems');
    problems.replaceChildren(...Object.values(status.problems).map(function (reason) {
      const item = document.createElement('li');
      item.textContent = reason;
      return item;
    }));
    problems.hidden = problems.childElementCount === 0;
    const temperature = status.temperature;
    $('temperature').hidden = !temperature;
    if (temperature) {
      text('temperature-measured', temperature.measuredC);
      text('temperature-cell', temperature.cellC);
      text('temperature-model', temperature.model);
      text('temperature-learning', temperature.learning);
    }
  }

  async function refresh() {
    try {
      const response = await fetch(forScale('api/status'), { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (response.status === 401 || response.redirected) { location.reload(); return; }
      show(await response.json());
    } catch (e) {
      text('broker-state', 'status page cannot reach the scale: ' + e.message);
    }
  }

  async function post(path) {
    const response = await fetch(path, {
      method: 'POST', credentials: 'same-origin', headers: { 'X-XSRF-TOKEN': csrfToken(), Accept: 'application/json' }
    });
    let message = 'HTTP ' + response.status;
    try { const result = await response.json(); message = (result.ok ? '' : 'Not done: ') + result.reason; } catch (e) { /* keep */ }
    text('result', message);
    refresh();
  }

  $('logout').addEventListener('submit', (event) => { event.target.elements._csrf.value = csrfToken(); });
  $('tare').addEventListener('click', () => post(forScale('api/tare')));
  $('publish').addEventListener('click', () => post(forScale('api/publish')));
  $('learn-temperature').addEventListener('submit', (event) => {
    event.preventDefault();
    const path = forScale('api/learn-temperature');
    post(path + (path.includes('?') ? '&' : '?') + 'minutes=' + encodeURIComponent($('learn-minutes').value));
  });
  window.addEventListener('hashchange', () => { text('result', ''); refresh(); });
  refresh();
  setInterval(refresh, 1000);
}());
