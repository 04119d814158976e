// The outcome of the last action (Pages/Shared/_Outcome.cshtml) is where the user looks: focused when the page
// loads, so that it is read out by screen readers and the page opens at it. Without script it is still at the top.
(function () {
    var outcome = document.querySelector('[data-outcome]');
    if (!outcome) { return; }
    outcome.focus();
    if (outcome.scrollIntoView) { outcome.scrollIntoView({ block: 'start' }); }
})();
