// Progressive enhancement only (the form saves without it): one input per item. Typing a score selects the
// level that holds it; choosing a level offers its range on the score box; a score on an end point two
// levels share takes the upper level and says so; a score outside every level is named next to the item;
// the totals count only scores some level holds. Which level holds which score is written out by the
// page from the policy (data-levels), so this script applies no rule of its own.
(function () {
    var form = document.getElementById('sheet-form');
    if (!form) { return; }

    // The typed whole number, or null when blank or not a whole number.
    function whole(input) {
        var t = input.value.trim();
        return /^\d+$/.test(t) ? parseInt(t, 10) : null;
    }
    function levelOf(input, v) {
        var map = input.dataset.levels.split(',');
        return v !== null && v < map.length ? parseInt(map[v], 10) : -1;
    }
    function radiosOf(input) {
        return Array.prototype.slice.call(form.querySelectorAll('input[type=radio][data-score="' + input.id + '"]'));
    }
    function shared(input, v) {
        return input.dataset.shared.split(',').indexOf(String(v)) >= 0;
    }
    function rangeText(radio) {
        var r = radio.parentNode.querySelector('.range');
        return r ? r.textContent : radio.dataset.min + '–' + radio.dataset.max;
    }
    function mark(input, chosen) {
        radiosOf(input).forEach(function (r) {
            r.checked = r === chosen;
            r.parentNode.classList.toggle('chosen', r === chosen);
        });
        input.min = chosen ? chosen.dataset.min : 0;
        input.max = chosen ? chosen.dataset.max : input.dataset.itemMax;
    }
    function say(input, text, problem) {
        var note = document.getElementById(input.dataset.note);
        if (note.textContent !== text) { note.textContent = text; }
        note.classList.toggle('bad', problem);
        if (problem) { input.setAttribute('aria-invalid', 'true'); } else { input.removeAttribute('aria-invalid'); }
    }
    // After the score changed: select its level (keeping a chosen level that holds it) and say what is worth saying.
    function follow(input) {
        var v = whole(input);
        if (input.value.trim() === '') { say(input, '', false); return; }
        var level = levelOf(input, v);
        if (level < 0) {
            mark(input, null);
            say(input, input.dataset.rangeMessage, true);
            return;
        }
        var radios = radiosOf(input);
        var current = radios.filter(function (r) { return r.checked; })[0];
        if (!current || v < parseInt(current.dataset.min, 10) || v > parseInt(current.dataset.max, 10)) {
            current = radios[level];
        }
        mark(input, current);
        if (shared(input, v) && current === radios[level]) {
            say(input, input.dataset.sharedMessage.replace('{score}', v).replace('{range}', rangeText(current)), false);
        } else {
            say(input, '', false);
        }
    }
    function recalc() {
        var total = 0, groups = {};
        form.querySelectorAll('input.score').forEach(function (i) {
            var v = whole(i);
            var valid = levelOf(i, v) >= 0;
            total += valid ? v : 0;
            groups[i.dataset.group] = (groups[i.dataset.group] || 0) + (valid ? v : 0);
        });
        document.getElementById('total').textContent = total;
        form.querySelectorAll('[data-subtotal]').forEach(function (o) { o.textContent = groups[o.dataset.subtotal] || 0; });
    }
    form.addEventListener('input', function (e) {
        if (e.target.classList.contains('score')) { follow(e.target); }
        recalc();
    });
    form.addEventListener('change', function (e) {
        var t = e.target;
        if (t.type !== 'radio') { return; }
        var score = document.getElementById(t.dataset.score);
        var min = parseInt(t.dataset.min, 10), max = parseInt(t.dataset.max, 10);
        var v = whole(score);
        if (v === null || v < min || v > max) { score.value = max; }
        mark(score, t);
        follow(score);
        recalc();
    });
    form.querySelectorAll('input.score').forEach(function (i) {
        var chosen = radiosOf(i).filter(function (r) { return r.checked; })[0];
        if (chosen) { mark(i, chosen); }
    });
    recalc();
})();
