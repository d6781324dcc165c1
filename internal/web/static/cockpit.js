// Charts of the cockpit (驾驶舱). The figures come from the data-cockpit attribute (the
// CSP forbids inline script) and are the displayed, already rounded ones; colours are the
// server's status colours, so the configured yellow threshold is not repeated here.
(function () {
  "use strict";
  var font = '"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif';
  var colours = { green: "#2e7d4f", yellow: "#c98a00", red: "#c0392b", none: "#8a94a6" };

  function num(v) { return v === null || v === undefined ? null : parseFloat(v); }

  function gauge(el, g, tp) {
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var value = g.completion === null ? 0 : g.completion;
    var max = Math.max(100, Math.ceil(value / 50) * 50);
    chart.setOption({
      textStyle: { fontFamily: font },
      series: [{
        type: "gauge", min: 0, max: max, startAngle: 200, endAngle: -20, radius: "95%", center: ["50%", "62%"],
        progress: { show: true, width: 12, itemStyle: { color: colours[g.colour] || colours.none } },
        axisLine: { lineStyle: { width: 12, color: [[Math.min(tp / max, 1), "#dfe4ea"], [1, "#eef1f5"]] } },
        axisTick: { show: false }, splitLine: { show: false }, axisLabel: { show: false }, pointer: { show: false },
        anchor: { show: false }, title: { show: false },
        detail: { valueAnimation: false, offsetCenter: [0, "-5%"], fontSize: 20, fontWeight: 600,
          formatter: function () { return g.completion === null ? "—" : g.completion.toFixed(1) + "%"; } },
        data: [{ value: value, name: g.name }]
      }]
    });
    return chart;
  }

  function trend(el, t) {
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      textStyle: { fontFamily: font },
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { bottom: 0 },
      grid: { left: 56, right: 16, top: 24, bottom: 48 },
      xAxis: { type: "category", data: t.months },
      yAxis: { type: "value" },
      series: [
        { name: "累计实际", type: "line", data: t.actual.map(num), itemStyle: { color: "#1f4e8c" } },
        { name: "按时序进度应完成", type: "line", data: t.planned.map(num), lineStyle: { type: "dashed" }, itemStyle: { color: "#c98a00" } }
      ]
    });
    return chart;
  }

  function funnel(el, stages) {
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var rev = stages.slice().reverse(); // the first stage on top
    chart.setOption({
      textStyle: { fontFamily: font },
      tooltip: { trigger: "axis", renderMode: "richText", axisPointer: { type: "shadow" } },
      grid: { left: 64, right: 48, top: 8, bottom: 8 },
      xAxis: { type: "value", show: false },
      yAxis: { type: "category", data: rev.map(function (s) { return s.label; }) },
      series: [{ name: "项目数", type: "bar", data: rev.map(function (s) { return s.count; }),
        itemStyle: { color: "#1f4e8c" }, label: { show: true, position: "right" }, cursor: "pointer" }]
    });
    chart.on("click", function (p) { window.location.href = "/projects?stage=" + encodeURIComponent(rev[p.dataIndex].stage); });
    return chart;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var holder = document.getElementById("cockpit-charts");
    if (!holder || typeof echarts === "undefined") { return; }
    var d = JSON.parse(holder.getAttribute("data-cockpit"));
    var tp = parseFloat(d.time_progress) || 0;
    var charts = [];
    document.querySelectorAll("[data-gauge]").forEach(function (el) {
      var g = (d.headline || [])[parseInt(el.getAttribute("data-gauge"), 10)];
      if (g) { charts.push(gauge(el, g, tp)); }
    });
    var t = document.querySelector("[data-trend-chart]");
    if (t && d.trend && d.trend.months) { charts.push(trend(t, d.trend)); }
    var f = document.querySelector("[data-funnel-chart]");
    if (f && d.funnel) { charts.push(funnel(f, d.funnel)); }
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  });
})();
