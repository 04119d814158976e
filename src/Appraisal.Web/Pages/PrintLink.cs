namespace Appraisal.Web.Pages;

/// <summary>A print button of a page (<c>Pages/Shared/_PrintLinks.cshtml</c>): where the PDF is and what the button says.</summary>
public sealed record PrintLink(string Href, string Label);
