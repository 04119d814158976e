using Appraisal.App.People;

namespace Appraisal.App.Files;

/// <summary>Who may import files and download their templates: HR, who enters the month's facts and the people (D16).</summary>
public static class ImportAccess
{
    public static bool MayImport(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsHr;
    }

    public static void Ensure(Actor actor)
    {
        if (!MayImport(actor))
        {
            throw UserError.Forbidden();
        }
    }
}
