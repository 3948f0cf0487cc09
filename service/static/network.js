// The coordinator's page: the coordination network drawn with Cytoscape.js (canvas, so it also runs
// where there is no WebGL), filtered through /network and explained actor by actor through
// /network/actor. Every filter change asks the service again: the service filters in memory and
// computes the measures, the page only draws.
(function () {
  "use strict";

  var TEXT = {
    nl: {
      title: "Wie ontmoet wie: het coördinatienetwerk", switch: "English", layer: "Laag", level: "Bestuursniveau",
      type: "Soort actor", domain: "Beleidsdomein", period: "Periode", from: "van", to: "tot",
      status: "Gebeurtenissen", held: "gehouden", planned: "gepland", all: "alle", fold: "ambten in hun organisatie",
      size: "Grootte volgens", search: "Zoek een actor", gexf: "GEXF (Gephi)", png: "PNG van deze weergave",
      close: "sluiten", measures: "Maten", events: "Gebeurtenissen", networks: "Netwerken", actions: "Acties",
      grants: "Subsidies", timeline: "Tijdlijn van de gebeurtenissen", actors: "actoren", ties: "verbindingen",
      none: "geen", funder: "financier", recipient: "ontvanger",
      "co-attendance": "samen aanwezig", membership: "lidmaatschap", "co-responsibility": "gedeelde acties",
      funding: "financiering"
    },
    en: {
      title: "Who meets whom: the coordination network", switch: "Nederlands", layer: "Layer",
      level: "Governance level", type: "Actor type", domain: "Policy domain", period: "Period", from: "from",
      to: "to", status: "Events", held: "held", planned: "planned", all: "all", fold: "posts folded into their organisation",
      size: "Size by", search: "Find an actor", gexf: "GEXF (Gephi)", png: "PNG of this view", close: "close",
      measures: "Measures", events: "Events", networks: "Networks", actions: "Actions", grants: "Grants",
      timeline: "Timeline of the events", actors: "actors", ties: "ties", none: "none", funder: "funder",
      recipient: "recipient", "co-attendance": "co-attendance", membership: "membership",
      "co-responsibility": "shared actions", funding: "funding"
    }
  };
  var COLOURS = {
    eu: "#1f4e9c", international: "#6a3d9a", foreign: "#b15928", federal: "#e31a1c", flemish: "#f2b701",
    "other-federated": "#fb9a99", brussels: "#a6cee3", provincial: "#33a02c", local: "#b2df8a",
    "civil-society": "#ff7f00", academic: "#1b9e77", religious: "#8c564b", media: "#e377c2", private: "#7f7f7f"
  };
  var lang = "nl";
  var options = null;
  var months = [];
  var cy = null;
  var current = null;
  var renders = 0;
  var pending = null;

  function $(id) { return document.getElementById(id); }
  function t(key) { return (TEXT[lang] && TEXT[lang][key]) || key; }
  function colour(level) { return COLOURS[level] || "#999999"; }

  function translate() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach(function (el) { el.textContent = t(el.dataset.i18n); });
    Array.prototype.forEach.call($("layer").options, function (o) { o.textContent = t(o.value); });
  }

  function fill(select, values, selected) {
    select.innerHTML = "";
    values.forEach(function (v) {
      var o = document.createElement("option");
      o.value = v; o.textContent = t(v); o.selected = selected.indexOf(v) >= 0;
      select.appendChild(o);
    });
  }

  function chosen(select) {
    return Array.prototype.filter.call(select.options, function (o) { return o.selected; })
      .map(function (o) { return o.value; });
  }

  function monthList(first, last) {
    var out = [];
    var y = +first.slice(0, 4), m = +first.slice(5, 7);
    var ly = +last.slice(0, 4), lm = +last.slice(5, 7);
    while (y < ly || (y === ly && m <= lm)) {
      out.push(y + "-" + (m < 10 ? "0" : "") + m);
      m += 1; if (m > 12) { m = 1; y += 1; }
    }
    return out;
  }

  function lastDay(month) {
    var y = +month.slice(0, 4), m = +month.slice(5, 7);
    var d = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return month + "-" + (d < 10 ? "0" : "") + d;
  }

  function params() {
    var p = new URLSearchParams();
    var layers = chosen($("layer"));
    p.set("layer", (layers.length ? layers : ["co-attendance"]).join(","));
    ["level", "type", "domain"].forEach(function (name) {
      var v = chosen($(name)); if (v.length) { p.set(name, v.join(",")); }
    });
    if (months.length) {
      p.set("from", months[+$("from").value] + "-01");
      p.set("to", lastDay(months[+$("to").value]));
    }
    p.set("status", $("status").value);
    if ($("fold").checked) { p.set("fold", "true"); }
    p.set("lang", lang);
    return p;
  }

  function drawTimeline() {
    var box = $("timeline");
    box.innerHTML = "";
    var counts = options.timeline || {};
    var max = 1;
    months.forEach(function (m) { max = Math.max(max, counts[m] || 0); });
    var lo = +$("from").value, hi = +$("to").value;
    months.forEach(function (m, i) {
      var bar = document.createElement("div");
      bar.className = "bar" + (i < lo || i > hi ? " out" : "");
      bar.style.height = Math.round(100 * (counts[m] || 0) / max) + "%";
      bar.title = m + ": " + (counts[m] || 0);
      box.appendChild(bar);
    });
  }

  function sizeBy(data) {
    var measure = $("size").value;
    var values = data.nodes.map(function (n) { return n.measures[measure] || 0; });
    var max = Math.max.apply(null, values.concat([1e-12]));
    return function (n) { return 12 + 38 * ((n.measures[measure] || 0) / max); };
  }

  function render(data) {
    current = data;
    var size = sizeBy(data);
    var maxWeight = Math.max.apply(null, data.edges.map(function (e) { return e.weight; }).concat([1e-12]));
    var elements = data.nodes.map(function (n) {
      return { data: { id: n.id, label: n.name, level: n.level, colour: colour(n.level), size: size(n) } };
    }).concat(data.edges.map(function (e, i) {
      return { data: { id: "e" + i, source: e.source, target: e.target, weight: e.weight,
                       width: 1 + 7 * (e.weight / maxWeight) } };
    }));
    cy.elements().remove();
    cy.add(elements);
    var big = data.nodes.length > 400;
    cy.layout(big ? { name: "concentric", concentric: function (n) { return n.degree(); }, animate: false }
                  : { name: "cose", animate: false, randomize: false, nodeRepulsion: function () { return 9000; } }).run();
    cy.style().selector("edge").style("curve-style", data.directed ? "bezier" : "haystack")
      .style("target-arrow-shape", data.directed ? "triangle" : "none").update();
    $("summary").textContent = data.summary.nodes + " " + t("actors") + ", " + data.summary.edges + " " + t("ties");
    var names = $("names");
    names.innerHTML = "";
    data.nodes.forEach(function (n) { var o = document.createElement("option"); o.value = n.name; names.appendChild(o); });
    var gexf = params(); gexf.set("format", "gexf");
    $("export-gexf").href = "/network?" + gexf.toString();
    renders += 1;
    $("graph").dataset.nodes = String(data.nodes.length);
    $("graph").dataset.renders = String(renders);
    drawTimeline();
  }

  function refresh() {
    var query = params().toString();
    $("from-label").textContent = months.length ? months[+$("from").value] : "";
    $("to-label").textContent = months.length ? months[+$("to").value] : "";
    pending = query;
    return fetch("/network?" + query).then(function (r) {
      if (!r.ok) { return r.text().then(function (m) { throw new Error(m); }); }
      return r.json();
    }).then(function (data) {
      if (pending === query) { render(data); }
    }).catch(function (err) { $("summary").textContent = String(err.message || err); });
  }

  function item(list, href, text) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = href; a.textContent = text;
    li.appendChild(a); list.appendChild(li);
  }

  function openPanel(id) {
    var node = current && current.nodes.find(function (n) { return n.id === id; });
    var fold = $("fold").checked ? "true" : "false";
    return fetch("/network/actor?iri=" + encodeURIComponent(id) + "&fold=" + fold).then(function (r) {
      return r.json();
    }).then(function (actor) {
      $("panel").hidden = false;
      $("panel-title").textContent = lang === "en" && actor.label_en ? actor.label_en : actor.label;
      $("panel-meta").textContent = [actor.level, actor.type].filter(Boolean).join(" · ");
      var dl = $("panel-measures"); dl.innerHTML = "";
      if (node) {
        Object.keys(node.measures).forEach(function (m) {
          var dt = document.createElement("dt"); dt.textContent = m; dt.title = current.methods[m];
          var dd = document.createElement("dd");
          var v = node.measures[m];
          dd.textContent = v === null ? "–" : (typeof v === "number" && v % 1 ? v.toFixed(4) : String(v));
          dl.appendChild(dt); dl.appendChild(dd);
        });
      }
      var lists = { events: actor.events, networks: actor.networks, actions: actor.actions, grants: actor.grants };
      Object.keys(lists).forEach(function (key) {
        var ul = $("panel-" + key); ul.innerHTML = "";
        lists[key].forEach(function (x) {
          if (key === "events") { item(ul, x.iri, x.date + " " + x.title + (x.planned === "true" ? " (" + t("planned") + ")" : "")); }
          else if (key === "networks") { item(ul, x.iri, x.label); }
          else if (key === "actions") { item(ul, x.iri, x.code + " " + x.title); }
          else { item(ul, x.iri, x.label + (x.amount ? " — € " + x.amount : "") + " (" + t(x.role) + ")"); }
        });
        if (!lists[key].length) { var li = document.createElement("li"); li.textContent = t("none"); ul.appendChild(li); }
      });
      $("panel").dataset.actor = id;
    });
  }

  function legend() {
    var box = $("legend"); box.innerHTML = "";
    options.levels.forEach(function (level) {
      var span = document.createElement("span");
      var dot = document.createElement("span"); dot.className = "swatch"; dot.style.background = colour(level);
      span.appendChild(dot); span.appendChild(document.createTextNode(level));
      box.appendChild(span);
    });
  }

  function start() {
    cy = cytoscape({
      container: $("graph"),
      pixelRatio: 1,
      hideEdgesOnViewport: true,
      textureOnViewport: true,
      minZoom: 0.05,
      maxZoom: 6,
      style: [
        { selector: "node", style: { "background-color": "data(colour)", width: "data(size)", height: "data(size)",
                                     label: "data(label)", "font-size": 9, "text-valign": "bottom",
                                     "min-zoomed-font-size": 7 } },
        { selector: "node:selected", style: { "border-width": 3, "border-color": "#000" } },
        { selector: "edge", style: { width: "data(width)", "line-color": "#9aa5b1", opacity: 0.7,
                                     "curve-style": "haystack", "target-arrow-color": "#9aa5b1" } }
      ]
    });
    cy.on("tap", "node", function (evt) { openPanel(evt.target.id()); });
    $("panel-close").addEventListener("click", function () { $("panel").hidden = true; });
    $("lang").addEventListener("click", function () { lang = lang === "nl" ? "en" : "nl"; translate(); refresh(); });
    $("export-png").addEventListener("click", function () {
      var blob = cy.png({ output: "blob", full: true, bg: "#ffffff", scale: 2 });
      $("export-png").href = URL.createObjectURL(blob);
    });
    $("search").addEventListener("change", function () {
      var wanted = $("search").value.trim().toLowerCase();
      var hit = cy.nodes().filter(function (n) { return String(n.data("label")).toLowerCase() === wanted; });
      if (!hit.length) {
        hit = cy.nodes().filter(function (n) { return String(n.data("label")).toLowerCase().indexOf(wanted) >= 0; });
      }
      if (hit.length) {
        cy.$(":selected").unselect(); hit[0].select(); cy.animate({ center: { eles: hit[0] }, zoom: 1.5 }, { duration: 200 });
        openPanel(hit[0].id());
      }
    });
    ["layer", "level", "type", "domain", "status", "fold"].forEach(function (id) {
      $(id).addEventListener("change", refresh);
    });
    ["from", "to"].forEach(function (id) {
      $(id).addEventListener("input", function () {
        if (+$("from").value > +$("to").value) {
          if (id === "from") { $("to").value = $("from").value; } else { $("from").value = $("to").value; }
        }
        refresh();
      });
    });
    $("size").addEventListener("change", function () { if (current) { render(current); } });
    fetch("/network/options").then(function (r) { return r.json(); }).then(function (o) {
      options = o;
      fill($("layer"), o.layers, ["co-attendance"]);
      fill($("level"), o.levels, []);
      fill($("type"), o.types, []);
      fill($("domain"), o.domains, []);
      var size = $("size");
      Object.keys(o.measures).filter(function (m) { return m !== "community"; }).forEach(function (m) {
        var opt = document.createElement("option"); opt.value = m; opt.textContent = m; opt.title = o.measures[m];
        opt.selected = m === "betweenness"; size.appendChild(opt);
      });
      months = o.first ? monthList(o.first, o.last) : [];
      ["from", "to"].forEach(function (id) { $(id).max = String(Math.max(months.length - 1, 0)); });
      $("from").value = "0"; $("to").value = String(Math.max(months.length - 1, 0));
      legend();
      translate();
      return refresh();
    });
    window.policykgNetwork = { cy: function () { return cy; }, refresh: refresh, openPanel: openPanel };
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
