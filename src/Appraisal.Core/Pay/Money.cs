namespace Appraisal.Core.Pay;

/// <summary>
/// Money arithmetic of D9: amounts are <see cref="decimal"/> yuan, each rounded once to the
/// policy's number of decimals (分, 0.01) half away from zero (四舍五入), so 0.485 becomes 0.49.
/// </summary>
public static class Money
{
    /// <summary>
    /// Rounds half away from zero and gives the result exactly <paramref name="decimals"/> places,
    /// so 1500 is written 1500.00. <see cref="Math.Round(decimal, int)"/> alone would round half to even.
    /// </summary>
    public static decimal Round(decimal amount, int decimals)
    {
        var rounded = Math.Round(amount, decimals, MidpointRounding.AwayFromZero);
        return decimal.Add(rounded, Zero(decimals));
    }

    /// <summary>True when <paramref name="amount"/> has no more than <paramref name="decimals"/> significant places.</summary>
    public static bool HasAtMostDecimals(decimal amount, int decimals) =>
        Math.Round(amount, decimals, MidpointRounding.AwayFromZero) == amount;

    // Adding a zero of scale n gives a result of at least scale n; it never changes the value.
    private static decimal Zero(int decimals) => new(0, 0, 0, false, (byte)Math.Clamp(decimals, 0, 28));
}
