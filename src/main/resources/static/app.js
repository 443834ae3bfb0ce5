// htmlgraph dashboard: tabs with history, live updates from /ws/events, local times, the kanban's moves.
// No inline handlers (the page's Content-Security-Policy forbids them): everything is wired here.
(function () {
  'use strict';
  var panel = document.getElementById('panel');
  var conn = document.getElementById('conn');
  if (!panel) { return; }
  var tabs = Array.prototype.slice.call(document.querySelectorAll('[role=tab]'));
  var lastSeq = Number(document.body.getAttribute('data-sequence') || 0);
  var timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

  // ---- times: shown in the browser's zone, UTC stays in the tooltip ----
  function localTimes(root) {
    root.querySelectorAll('time[datetime]:not([data-local])').forEach(function (t) {
      var d = new Date(t.getAttribute('datetime'));
      if (!isNaN(d.getTime())) { t.textContent = timeFormat.format(d); t.setAttribute('data-local', ''); }
    });
  }

  // ---- tabs: each has its URL (/?tab=name); the back button restores it ----
  function select(name) {
    tabs.forEach(function (t) {
      var on = t.getAttribute('data-tab') === name;
      t.setAttribute('aria-selected', on ? 'true' : 'false');
      t.tabIndex = on ? 0 : -1;
      if (on) { panel.setAttribute('aria-labelledby', t.id); }
    });
    panel.setAttribute('data-tab', name);
  }
  function load(url) {
    panel.setAttribute('data-url', url);
    return htmx.ajax('GET', url, { target: panel, swap: 'innerHTML' });
  }
  function tabUrl(name) {
    var tab = tabs.filter(function (t) { return t.getAttribute('data-tab') === name; })[0] || tabs[0];
    return tab;
  }
  function showTab(name, params, push) {
    var tab = tabUrl(name);
    name = tab.getAttribute('data-tab');
    select(name);
    load('/views/' + tab.getAttribute('data-path') + (params ? '?' + params : ''));
    if (push) { history.pushState({ tab: name }, '', '/?tab=' + name + (params ? '&' + params : '')); }
  }
  function route() {
    var path = location.pathname;
    if (path.indexOf('/sessions/') === 0) {
      select('sessions');
      load('/views/sessions/' + path.substring('/sessions/'.length));
      return;
    }
    var q = new URLSearchParams(location.search);
    var name = q.get('tab') || 'activity';
    q.delete('tab');
    showTab(name, q.toString(), false);
  }
  tabs.forEach(function (t) {
    t.addEventListener('click', function (e) {
      e.preventDefault();
      showTab(t.getAttribute('data-tab'), '', true);
    });
    t.addEventListener('keydown', function (e) {
      var i = tabs.indexOf(t);
      var next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
      if (next === undefined) { return; }
      e.preventDefault();
      var target = tabs[(next + tabs.length) % tabs.length];
      target.focus();
      showTab(target.getAttribute('data-tab'), '', true);
    });
  });
  window.addEventListener('popstate', route);
  panel.setAttribute('data-url', location.pathname.indexOf('/sessions/') === 0
    ? '/views/sessions/' + location.pathname.substring('/sessions/'.length)
    : '/views/' + tabUrl(panel.getAttribute('data-tab')).getAttribute('data-path') + location.search.replace(/^\?/, '?'));
  // links inside the panel that load a fragment (filters, pagers) keep their own URL in the address bar
  document.body.addEventListener('htmx:afterRequest', function (e) {
    var elt = e.detail.elt;
    if (e.detail.successful && elt && elt.tagName === 'A' && elt.getAttribute('href')) {
      history.pushState({}, '', elt.getAttribute('href'));
    }
  });
  document.body.addEventListener('htmx:afterSwap', function (e) {
    // an outerHTML swap (a session row getting its figures) detaches the target: look from the panel then
    localTimes(e.detail.target.isConnected ? e.detail.target : panel);
  });

  // ---- fragments fetched by the live updates ----
  function fetchHtml(url) {
    return fetch(url, { credentials: 'same-origin', headers: { 'HX-Request': 'true' } }).then(function (r) {
      if (!r.ok) { throw new Error(url + ': ' + r.status); }
      return r.text();
    });
  }
  function element(html) {
    var t = document.createElement('template');
    t.innerHTML = html.trim();
    return t.content.firstElementChild;
  }
  function adopt(el) { htmx.process(el); localTimes(el); return el; }

  // A turn's row comes without its tree; the tree loads (htmx, "toggle once") when the turn is opened. A refreshed
  // row that was open is opened again, which loads its fresh tree.
  var turnTimers = {};
  function refreshTurn(id) {
    if (turnTimers[id]) { return; }
    turnTimers[id] = setTimeout(function () {
      delete turnTimers[id];
      var turns = document.getElementById('turns');
      var agent = turns && turns.getAttribute('data-agent');
      fetchHtml('/views/turns/' + encodeURIComponent(id) + (agent ? '?agent_id=' + encodeURIComponent(agent) : ''))
        .then(function (html) {
          var old = document.getElementById('turn-' + id);
          var fresh = adopt(element(html));
          turns = document.getElementById('turns');
          if (old) {
            var details = old.querySelector('details');
            var focused = old.contains(document.activeElement);
            old.replaceWith(fresh);
            if (details && details.open) { fresh.querySelector('details').open = true; }
            if (focused) { fresh.querySelector('summary').focus(); }
          } else if (turns) {
            turns.insertBefore(fresh, turns.firstChild);
          }
        }).catch(function () { /* the next event or a reload shows it */ });
    }, 60);
  }
  function matchesFilter(turns, e) {
    var session = turns.getAttribute('data-session');
    var agent = turns.getAttribute('data-agent');
    return (!session || session === e.session_id) && (!agent || agent === e.agent_id);
  }
  function findNode(id) {
    return id ? document.querySelector('[data-event-id="' + CSS.escape(id) + '"]') : null;
  }
  // The turn a live event belongs to: from its node or its parent's in a loaded tree, else from the turn an
  // earlier live event under the same parent went to, else (a call deep in a tree not loaded) the newest listed
  // turn of its session, which is the one its session is working in.
  var eventTurns = {};
  var eventTurnCount = 0;
  function turnOf(e, turns) {
    var anchor = findNode(e.event_id) || findNode(e.parent_event_id);
    var turn = anchor && anchor.closest('[data-turn-id]');
    if (turn) { return turn.getAttribute('data-turn-id'); }
    if (e.parent_event_id && eventTurns[e.parent_event_id]) { return eventTurns[e.parent_event_id]; }
    if (!e.parent_event_id || !e.session_id) { return null; }
    turn = turns.querySelector('[data-turn-id][data-session="' + CSS.escape(e.session_id) + '"]');
    return turn ? turn.getAttribute('data-turn-id') : null;
  }

  var countersTimer = null;
  function scheduleCounters() {
    if (countersTimer) { return; }
    countersTimer = setTimeout(function () {
      countersTimer = null;
      htmx.ajax('GET', '/views/counters', { target: '#counters', swap: 'innerHTML' });
    }, 300);
  }
  var panelTimer = null;
  function schedulePanel() {
    if (panelTimer) { return; }
    panelTimer = setTimeout(function () {
      panelTimer = null;
      var active = document.activeElement;
      if (dragging || (active && panel.contains(active) && /INPUT|SELECT|TEXTAREA/.test(active.tagName))) {
        schedulePanel();
        return;
      }
      htmx.ajax('GET', panel.getAttribute('data-url'), { target: panel, swap: 'innerHTML' });
    }, 1000);
  }

  function onEvent(e) {
    var turns = document.getElementById('turns');
    var tab = panel.getAttribute('data-tab');
    if (turns) {
      if (e.tool_name === 'UserQuery') {
        if (document.getElementById('turn-' + e.event_id) || matchesFilter(turns, e)) { refreshTurn(e.event_id); }
      } else {
        var id = turnOf(e, turns);
        if (id) {
          if (++eventTurnCount > 10000) { eventTurns = {}; eventTurnCount = 0; }
          eventTurns[e.event_id] = id;
          refreshTurn(id);
        }
      }
    }
    if (tab !== 'activity' && !turns) { schedulePanel(); }
  }

  // ---- live: /ws/events from the page's sequence on, resumed with ?since= after a drop ----
  var socket = null;
  var retries = 0;
  function setState(state, text) {
    conn.setAttribute('data-state', state);
    conn.querySelector('.conn-text').textContent = text || state;
  }
  function handle(msg) {
    if (msg.type === 'ready') { return; }
    if (msg.type === 'resync') {
      lastSeq = msg.sequence;
      scheduleCounters();
      schedulePanel();
      return;
    }
    if (typeof msg.sequence === 'number') {
      if (msg.sequence <= lastSeq) { return; }
      lastSeq = msg.sequence;
      document.body.setAttribute('data-live-sequence', String(lastSeq));
    }
    scheduleCounters();
    if (msg.type === 'event') { onEvent(msg); } else if (panel.getAttribute('data-tab') !== 'activity') { schedulePanel(); }
  }
  function connect() {
    setState('connecting');
    var scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    socket = new WebSocket(scheme + location.host + '/ws/events?since=' + lastSeq);
    socket.onopen = function () { retries = 0; setState('live'); };
    socket.onmessage = function (m) {
      var msg;
      try { msg = JSON.parse(m.data); } catch (err) { return; }
      handle(msg);
    };
    socket.onclose = function () {
      var delay = Math.min(10000, 500 * Math.pow(2, retries++));
      setState('offline', 'reconnecting in ' + Math.round(delay / 1000) + ' s');
      setTimeout(connect, delay);
    };
  }

  // ---- kanban: drag a card to a column, or use its buttons; both PATCH /api/features/{id} ----
  var dragging = null;
  function reloadFeatures(focusId) {
    return htmx.ajax('GET', '/views/features', { target: panel, swap: 'innerHTML' }).then(function () {
      if (focusId) {
        var card = panel.querySelector('[data-feature-id="' + CSS.escape(focusId) + '"]');
        var button = card && card.querySelector('button.move');
        if (button) { button.focus(); } else if (card) { card.focus(); }
      }
    });
  }
  function say(text) {
    var status = panel.querySelector('.form-status');
    if (status) { status.textContent = text; }
  }
  function send(method, url, body) {
    return fetch(url, {
      method: method, credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (r) {
      if (!r.ok) {
        return r.json().catch(function () { return {}; }).then(function (j) {
          throw new Error(j.detail || ('HTTP ' + r.status));
        });
      }
      return r.json();
    });
  }
  function move(id, status) {
    return send('PATCH', '/api/features/' + encodeURIComponent(id), { status: status })
      .then(function () { return reloadFeatures(id); })
      .catch(function (err) { say('Could not move it: ' + err.message); });
  }
  panel.addEventListener('click', function (e) {
    var b = e.target.closest('button.move');
    if (b) { move(b.getAttribute('data-feature-id'), b.getAttribute('data-to')); }
  });
  panel.addEventListener('dragstart', function (e) {
    var card = e.target.closest && e.target.closest('[data-feature-id][draggable]');
    if (!card) { return; }
    dragging = card.getAttribute('data-feature-id');
    e.dataTransfer.setData('text/plain', dragging);
    e.dataTransfer.effectAllowed = 'move';
  });
  panel.addEventListener('dragend', function () { dragging = null; });
  panel.addEventListener('dragover', function (e) {
    if (dragging && e.target.closest && e.target.closest('.column')) { e.preventDefault(); }
  });
  panel.addEventListener('drop', function (e) {
    var column = e.target.closest && e.target.closest('.column');
    var id = dragging || e.dataTransfer.getData('text/plain');
    dragging = null;
    if (column && id) { e.preventDefault(); move(id, column.getAttribute('data-status')); }
  });
  panel.addEventListener('submit', function (e) {
    if (e.target.id !== 'feature-new') { return; }
    e.preventDefault();
    var form = e.target;
    send('POST', '/api/features', {
      title: form.elements.title.value, type: form.elements.type.value, priority: form.elements.priority.value
    }).then(function (f) { return reloadFeatures(f.id); })
      .catch(function (err) { say('Could not add it: ' + err.message); });
  });

  localTimes(document);
  connect();
}());
