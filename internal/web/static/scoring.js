// Scoring pages. The rank-history chart reads its data from a data attribute (the CSP
// forbids inline script); the scheme editor hides the parameters the chosen source and
// method do not use (they are still posted, so the item arrays stay aligned).
(function () {
  "use strict";
  var font = '"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif';

  function historyChart(el) {
    var d = JSON.parse(el.getAttribute("data-rank-history"));
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      textStyle: { fontFamily: font },
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 48, right: 24, top: 24, bottom: 48 },
      xAxis: { type: "category", data: d.months },
      // First place on top: the axis runs from 1 downwards.
      yAxis: { type: "value", inverse: true, min: 1, max: Math.max(d.units, 1), minInterval: 1, name: "名次", nameLocation: "start" },
      series: d.series.map(function (s) { return { name: s.name, type: "line", data: s.ranks, connectNulls: false }; })
    });
    return chart;
  }

  function toggleParams(item) {
    var source = item.querySelector('[data-role="source"]').value;
    var method = item.querySelector('[data-role="method"]').value;
    item.querySelectorAll("[data-sources]").forEach(function (f) {
      f.hidden = f.getAttribute("data-sources").split(" ").indexOf(source) < 0;
    });
    item.querySelectorAll("[data-methods]").forEach(function (f) {
      f.hidden = f.getAttribute("data-methods").split(" ").indexOf(method) < 0;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var charts = [];
    document.querySelectorAll("[data-rank-history]").forEach(function (el) { charts.push(historyChart(el)); });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    document.querySelectorAll("[data-scheme-item]").forEach(function (item) {
      toggleParams(item);
      item.addEventListener("change", function (e) {
        if (e.target.matches('[data-role="source"], [data-role="method"]')) { toggleParams(item); }
      });
    });
  });
})();
