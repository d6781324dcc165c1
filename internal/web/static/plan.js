// The doubling plan's chart: the plan path against the actual yearly figures of the unit
// chosen in the selector. Data comes from a data-* attribute (no inline script).
(function () {
  "use strict";
  var font = '"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif';
  function num(v) { return v === null ? null : parseFloat(v); }
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("plan-chart");
    var select = document.getElementById("plan-unit");
    if (!el || !select) { return; }
    var d = JSON.parse(el.getAttribute("data-plan"));
    var chart = echarts.init(el, null, { renderer: "canvas" });
    function show(i) {
      var s = d.series[i];
      chart.setOption({
        textStyle: { fontFamily: font },
        title: { text: s.unit + " · " + d.title, left: "center", textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis", renderMode: "richText" },
        legend: { bottom: 0 },
        grid: { left: 64, right: 24, top: 40, bottom: 48 },
        xAxis: { type: "category", data: d.years.map(String) },
        yAxis: { type: "value" },
        series: [
          { name: "规划", type: "line", data: s.plan.map(num), lineStyle: { type: "dashed" }, connectNulls: true },
          { name: "实际", type: "bar", data: s.actual.map(num), barMaxWidth: 32 }
        ]
      }, true);
    }
    select.addEventListener("change", function () { show(parseInt(select.value, 10)); });
    show(0);
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
