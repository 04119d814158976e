namespace Appraisal.App.Pay;

/// <summary>An HR adjustment to pay (其他, 第十条, D10): an amount, possibly negative, with its reason.</summary>
public sealed class PayAdjustment
{
    public int Id { get; set; }

    public int MonthId { get; set; }

    public int PersonId { get; set; }

    public decimal Amount { get; set; }

    public required string Reason { get; set; }

    public required string By { get; set; }

    public DateTime At { get; set; }
}
