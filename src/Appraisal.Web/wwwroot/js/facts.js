// The facts page saves only the rows HR changed, as JSON, to the page's own "Changes" handler (no form-value
// limit; the server checks and converts every field exactly as for the form). Without this script the form still
// works: it posts the rows of the page shown (at most 100). The texts come from the page, in the user's language.
(function () {
    var form = document.getElementById('facts-form');
    var outcome = document.getElementById('facts-outcome');
    if (!form || !outcome || !window.fetch || !form.querySelector('input[data-field]')) { return; }
    var dirtyNote = document.getElementById('facts-dirty');
    var fields = ['salesPlan', 'salesActual', 'absentDays', 'eligibility', 'overrideReason'];
    var busy = false;

    function changed(el) {
        if (el.tagName === 'SELECT') {
            for (var i = 0; i < el.options.length; i++) {
                if (el.options[i].selected !== el.options[i].defaultSelected) { return true; }
            }
            return false;
        }
        return el.value !== el.defaultValue;
    }

    function rows() { return Array.prototype.slice.call(form.querySelectorAll('tr[data-person]')); }

    function dirtyRows() {
        return rows().filter(function (tr) {
            return Array.prototype.some.call(tr.querySelectorAll('[data-field]'), function (el) {
                return el.type !== 'hidden' && changed(el);
            });
        });
    }

    function refresh() {
        var dirty = dirtyRows();
        rows().forEach(function (tr) { tr.classList.toggle('changed', dirty.indexOf(tr) >= 0); });
        if (dirtyNote) { dirtyNote.textContent = dirty.length ? form.dataset.textDirty.replace('{0}', dirty.length) : ''; }
        return dirty;
    }

    function show(kind, message, problems, links) {
        outcome.textContent = '';
        var p = document.createElement('p');
        p.className = kind;
        if (kind === 'error') { p.setAttribute('role', 'alert'); }
        p.appendChild(document.createTextNode(message));
        (problems || []).forEach(function (text) {
            p.appendChild(document.createElement('br'));
            var span = document.createElement('span');
            span.className = 'problem';
            span.textContent = text;
            p.appendChild(span);
        });
        (links || []).forEach(function (link) {
            p.appendChild(document.createTextNode(' '));
            var a = document.createElement('a');
            a.href = link.href;
            a.textContent = link.text;
            p.appendChild(a);
        });
        outcome.appendChild(p);
        outcome.scrollIntoView({ block: 'start' });
        outcome.focus({ preventScroll: true });
    }

    function markProblems(problems) {
        rows().forEach(function (tr) {
            var no = tr.dataset.no;
            var bad = problems.some(function (t) { return t.indexOf(no + ' ') === 0 || t.indexOf(no + '：') === 0 || t.indexOf(no + ':') === 0; });
            tr.classList.toggle('row-error', bad);
        });
    }

    function accept(dirty, saved) {
        var versions = {};
        saved.forEach(function (r) { versions[r.personId] = r.version; });
        dirty.forEach(function (tr) {
            tr.querySelectorAll('[data-field]').forEach(function (el) {
                if (el.tagName === 'SELECT') {
                    for (var i = 0; i < el.options.length; i++) { el.options[i].defaultSelected = el.options[i].selected; }
                } else if (el.type !== 'hidden') {
                    el.defaultValue = el.value;
                }
            });
            var v = versions[tr.dataset.person];
            if (v !== undefined) {
                tr.dataset.version = v;
                var hidden = tr.querySelector('input[data-field="version"]');
                if (hidden) { hidden.value = v; hidden.defaultValue = String(v); }
            }
        });
        rows().forEach(function (tr) { tr.classList.remove('row-error'); });
    }

    form.addEventListener('input', refresh);
    form.addEventListener('change', refresh);

    form.addEventListener('submit', function (e) {
        e.preventDefault();
        if (busy) { return; }
        var dirty = refresh();
        if (!dirty.length) { show('notice', form.dataset.textNothing); return; }
        var body = {
            rows: dirty.map(function (tr) {
                var row = { personId: parseInt(tr.dataset.person, 10), version: tr.dataset.version ? parseInt(tr.dataset.version, 10) : null };
                fields.forEach(function (name) {
                    var el = tr.querySelector('[data-field="' + name + '"]');
                    row[name] = el ? el.value : null;
                });
                return row;
            })
        };
        var token = form.querySelector('input[name="__RequestVerificationToken"]');
        busy = true;
        show('muted', form.dataset.textSaving);
        fetch(form.dataset.changesUrl, {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'Content-Type': 'application/json', 'X-CSRF-TOKEN': token ? token.value : '' },
            body: JSON.stringify(body)
        }).then(function (response) {
            return response.json().then(function (answer) { return { status: response.status, answer: answer }; });
        }).then(function (r) {
            var a = r.answer;
            if (r.status === 200 && a.saved) {
                accept(dirty, a.rows || []);
                refresh();
                show('notice', a.message, [], a.nextCompute ? [{ href: '#compute-title', text: form.dataset.textNext }] : []);
            } else {
                markProblems(a.problems || []);
                show('error', a.message, a.problems, a.reload ? [{ href: window.location.href, text: form.dataset.textReload }] : []);
            }
        }).catch(function () {
            show('error', form.dataset.textFailed);
        }).then(function () { busy = false; });
    });

    // Leaving the page (a filter, another page of agents) with unsaved changes asks first.
    window.addEventListener('beforeunload', function (e) {
        if (!busy && dirtyRows().length) { e.preventDefault(); e.returnValue = form.dataset.textLeave; }
    });
})();
