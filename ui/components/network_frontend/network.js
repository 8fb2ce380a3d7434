// GraphFraud's network component: a Streamlit custom component (the plain postMessage
// protocol, no build step) drawing the explorer's view with vis-network.
//
// Stable positions: the first render lays the picture out once and freezes it; every later
// render keeps the nodes already drawn where they are (pinned while the new ones settle),
// places new nodes near the node they hang from, then freezes again. Events (double-click =
// expand; the node menu: expand by type, hide, pin, path start/end, details) go back to
// Python with the positions of every node, so a rerun or a reload draws the same picture.
(function () {
  "use strict";
  var container = document.getElementById("gf-network");
  var menu = document.getElementById("gf-menu");
  var network = null, nodes = null, edges = null, args = {}, seq = 0, pinned = {};
  var nonce = Math.random().toString(36).slice(2);  // this frame's events are new ones

  function send(type, data) {
    var msg = Object.assign({isStreamlitMessage: true, type: type}, data || {});
    window.parent.postMessage(msg, "*");
  }
  function setHeight() {
    send("streamlit:setFrameHeight", {height: document.body.scrollHeight + 4});
  }
  function positions() {
    var out = {}, pos = network ? network.getPositions() : {};
    Object.keys(pos).forEach(function (id) {
      if (String(id).indexOf("agg:") !== 0) {
        out[id] = {x: Math.round(pos[id].x * 10) / 10, y: Math.round(pos[id].y * 10) / 10};
      }
    });
    return out;
  }
  function emit(event, node, extra) {
    seq += 1;
    send("streamlit:setComponentValue", {dataType: "json", value: Object.assign(
      {event: event, node: node, seq: nonce + ":" + seq, positions: positions(),
       pinned: Object.keys(pinned)}, extra || {})});
  }

  function freeze() {
    if (!network) return;
    network.setOptions({physics: false});
    // earlier nodes were pinned only while the new ones settled; the user's pins stay
    var free = nodes.get().filter(function (n) { return n.fixed && !pinned[n.id]; })
      .map(function (n) { return {id: n.id, fixed: false}; });
    if (free.length) nodes.update(free);
    container.dataset.frozen = "1";
  }

  // A new node goes near the drawn node it is joined to (its parent), on a small circle.
  function placeNear(newNodes, known, edgeList) {
    var parentOf = {}, count = {};
    edgeList.forEach(function (e) {
      if (known[e.from] && !known[e.to]) parentOf[e.to] = parentOf[e.to] || e.from;
      if (known[e.to] && !known[e.from]) parentOf[e.from] = parentOf[e.from] || e.to;
    });
    newNodes.forEach(function (n) {
      var p = parentOf[n.id] && known[parentOf[n.id]];
      if (!p) return;
      var k = count[parentOf[n.id]] = (count[parentOf[n.id]] || 0) + 1;
      var angle = k * 2.399963, r = 70 + 6 * Math.sqrt(k);  // golden-angle spiral
      n.x = p.x + r * Math.cos(angle);
      n.y = p.y + r * Math.sin(angle);
    });
  }

  function render(a) {
    args = a;
    container.style.height = (a.height || 600) + "px";
    document.getElementById("gf-legend").innerHTML = a.legend || "";  // our own escaped HTML
    document.getElementById("gf-agg").textContent = a.agg || "";
    container.dataset.colourBy = a.colour_by || "type";
    (a.pinned || []).forEach(function (id) { pinned[id] = true; });
    var incoming = a.nodes.map(function (n) { return Object.assign({}, n); });
    var wanted = {};
    incoming.forEach(function (n) { wanted[n.id] = true; });
    var known = {};  // where the nodes already drawn are
    var current = network ? network.getPositions() : {};
    Object.keys(current).forEach(function (id) { if (wanted[id]) known[id] = current[id]; });
    Object.keys(a.positions || {}).forEach(function (id) {
      if (wanted[id] && !known[id]) known[id] = a.positions[id];
    });
    var fresh = incoming.filter(function (n) { return !known[n.id]; });
    placeNear(fresh, known, a.edges);
    incoming.forEach(function (n) {
      if (known[n.id]) {
        n.x = known[n.id].x; n.y = known[n.id].y; n.fixed = true;
      } else if (pinned[n.id]) {
        n.fixed = true;
      }
      if (pinned[n.id]) n.fixed = true;
    });
    var layout = fresh.length > 0;
    container.dataset.frozen = "0";
    if (!network) {
      nodes = new vis.DataSet(incoming);
      edges = new vis.DataSet(a.edges);
      var options = Object.assign({}, a.options);
      options.physics = Object.assign({}, options.physics, {enabled: layout});
      if (Object.keys(known).length) {
        options.physics.stabilization = Object.assign({}, options.physics.stabilization,
                                                      {fit: false});
      }
      network = new vis.Network(container, {nodes: nodes, edges: edges}, options);
      window.gfNetwork = network;
      window.gfNodes = nodes;
      window.gfEdges = edges;
      network.on("doubleClick", function (p) {
        var id = p.nodes && p.nodes[0];
        if (id !== undefined && String(id).indexOf("agg:") !== 0) emit("expand", id);
      });
      network.on("oncontext", function (p) {
        p.event.preventDefault();
        var id = network.getNodeAt(p.pointer.DOM);
        if (id === undefined || String(id).indexOf("agg:") === 0) { hideMenu(); return; }
        showMenu(id, p.pointer.DOM);
      });
      network.on("click", hideMenu);
      network.on("dragStart", hideMenu);
      network.on("stabilizationIterationsDone", freeze);
      if (Object.keys(known).length && !layout) network.fit({animation: false});
    } else {
      var gone = nodes.getIds().filter(function (id) { return !wanted[id]; });
      nodes.remove(gone);
      nodes.update(incoming);
      var wantEdge = {};
      a.edges.forEach(function (e) { wantEdge[e.id] = true; });
      edges.remove(edges.getIds().filter(function (id) { return !wantEdge[id]; }));
      // vis-network keeps an edge's drawn label when an update clears it (an empty
      // label is ignored): an edge whose label changes is taken out and put back
      var relabelled = a.edges.filter(function (e) {
        var held = edges.get(e.id);
        return held && (held.label || "") !== (e.label || "");
      }).map(function (e) { return e.id; });
      if (relabelled.length) edges.remove(relabelled);
      edges.update(a.edges);
      if (layout) {
        network.setOptions({physics: Object.assign({}, a.options.physics, {enabled: true,
          stabilization: Object.assign({}, a.options.physics.stabilization, {fit: false})})});
        network.stabilize(200);
      }
    }
    if (!layout) freeze();
    setTimeout(function () { if (container.dataset.frozen !== "1") freeze(); }, 8000);
    setHeight();
  }

  function hideMenu() { menu.style.display = "none"; }
  function item(text, fn, cls) {
    var b = document.createElement("button");
    b.type = "button"; b.textContent = text; b.setAttribute("role", "menuitem");
    if (cls) b.className = cls;
    b.onclick = function () { hideMenu(); fn(); };
    menu.appendChild(b);
  }
  function showMenu(id, at) {
    var n = nodes.get(id);
    menu.innerHTML = "";
    var title = document.createElement("div");
    title.className = "gf-title"; title.textContent = n.label || n.title || "";
    menu.appendChild(title);
    item("Expand", function () { emit("expand", id); });
    item("Hide", function () { nodes.update({id: id, hidden: true}); emit("hide", id); });
    item(pinned[id] ? "Unpin" : "Pin", function () {
      if (pinned[id]) { delete pinned[id]; } else { pinned[id] = true; }
      nodes.update({id: id, fixed: !!pinned[id]});
      emit("pin", id);
    });
    item("Set as path start", function () { emit("path_start", id); });
    item("Set as path end", function () { emit("path_end", id); });
    item("Open details", function () { emit("details", id); });
    (args.rel_types[id] || []).forEach(function (tc) {  // the node's own types, counted
      item("Expand by " + tc[0] + " (" + tc[1] + ")",
           function () { emit("expand", id, {rel_type: tc[0]}); }, "gf-sub");
    });
    menu.style.display = "block";  // then keep it inside the frame, beside the node
    var w = menu.offsetWidth, h = menu.offsetHeight;
    var x = at.x + 8 + w > container.clientWidth ? at.x - 8 - w : at.x + 8;
    var y = Math.min(at.y + 4, container.clientHeight - h - 4);
    menu.style.left = Math.max(0, x) + "px";
    menu.style.top = (container.offsetTop + Math.max(0, y)) + "px";
  }
  window.gfMenu = showMenu;  // for tests: open a node's menu without a right-click

  window.addEventListener("message", function (ev) {
    if (ev.data && ev.data.type === "streamlit:render") render(ev.data.args);
  });
  send("streamlit:componentReady", {apiVersion: 1});
})();
