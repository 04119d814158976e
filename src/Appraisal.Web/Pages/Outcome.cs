using Appraisal.App;
using static Appraisal.App.Localization.L;

namespace Appraisal.Web.Pages;

/// <summary>How an action ended: done, refused (nothing changed), or done in part.</summary>
public enum OutcomeKind
{
    Done,
    Refused,
    Partly,
}

/// <summary>A link of an outcome message: a person's sheet or row, or the next step.</summary>
public sealed record OutcomeLink(string Href, string Text);

/// <summary>One line under the message (one problem, one person), with where to put it right.</summary>
public sealed record OutcomeItem(string Text, IReadOnlyList<OutcomeLink> Links)
{
    public OutcomeItem(string text)
        : this(text, [])
    {
    }
}

/// <summary>
/// The outcome of an action as every page shows it at the top of its content (<c>Shared/_Outcome.cshtml</c>):
/// focused when the page loads and announced (a status for done, an alert for refused), with each problem
/// and the next step as links.
/// </summary>
public sealed record Outcome(OutcomeKind Kind, string Message, IReadOnlyList<OutcomeItem> Items, IReadOnlyList<OutcomeLink> Next)
{
    /// <summary>A refusal with each of its problems (and the page where each is put right).</summary>
    public static Outcome Refused(UserError error, string? heading = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        var items = error.Errors is { Count: > 0 } list ? list.Select(Item).ToList() : [];
        return new Outcome(OutcomeKind.Refused, heading ?? error.Localized, items, []);
    }

    /// <summary>A refusal known only by its text (a page that kept its own message).</summary>
    public static Outcome Refused(string message, IEnumerable<string>? problems = null) =>
        new(OutcomeKind.Refused, message, (problems ?? []).Select(p => new OutcomeItem(p)).ToList(), []);

    /// <summary>Done, with the next steps (<see cref="Pack"/>ed across the redirect).</summary>
    public static Outcome Done(string message, string? next = null) => new(OutcomeKind.Done, message, [], Unpack(next));

    /// <summary>The outcome of a page that keeps a refusal text and a notice: the refusal wins.</summary>
    public static Outcome? Of(string? error, string? notice, string? next = null) =>
        error is not null ? Refused(error) : notice is not null ? Done(notice, next) : null;

    /// <summary>Links as one TempData string (a tab between address and words, a line per link).</summary>
    public static string Pack(IEnumerable<OutcomeLink> links) =>
        string.Join('\n', links.Select(l => $"{l.Href.Replace('\t', ' ').Replace('\n', ' ')}\t{l.Text.Replace('\t', ' ').Replace('\n', ' ')}"));

    public static IReadOnlyList<OutcomeLink> Unpack(string? packed) =>
        string.IsNullOrEmpty(packed)
            ? []
            : packed.Split('\n').Select(l => l.Split('\t', 2)).Where(p => p.Length == 2).Select(p => new OutcomeLink(p[0], p[1])).ToList();

    private static OutcomeItem Item(ApiError e) => new(T(e.Zh, e.En), e.Links.Select(l => new OutcomeLink(l.Href, T(l.Zh, l.En))).ToList());
}
