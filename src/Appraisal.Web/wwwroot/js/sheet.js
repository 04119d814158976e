// Progressive enhancement only: live totals, and a score that follows the chosen level.
(function () {
    var form = document.getElementById('sheet-form');
    if (!form) { return; }
    function whole(input) {
        var t = input.value.trim();
        return /^\d+$/.test(t) ? parseInt(t, 10) : 0;
    }
    function recalc() {
        var total = 0, groups = {};
        form.querySelectorAll('input.score').forEach(function (i) {
            var v = whole(i);
            total += v;
            groups[i.dataset.group] = (groups[i.dataset.group] || 0) + v;
        });
        document.getElementById('total').textContent = total;
        form.querySelectorAll('[data-subtotal]').forEach(function (o) { o.textContent = groups[o.dataset.subtotal] || 0; });
    }
    form.addEventListener('input', recalc);
    form.addEventListener('change', function (e) {
        var t = e.target;
        if (t.type !== 'radio') { return; }
        var score = document.getElementById(t.dataset.score);
        var min = parseInt(t.dataset.min, 10), max = parseInt(t.dataset.max, 10);
        var v = parseInt(score.value, 10);
        if (isNaN(v) || v < min || v > max) { score.value = max; }
        score.min = min;
        score.max = max;
        recalc();
    });
    recalc();
})();
