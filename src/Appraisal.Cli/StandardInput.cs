using Microsoft.Win32.SafeHandles;

namespace Appraisal.Cli;

/// <summary>Standard input as a stream that can seek when it is a file (<c>appraisal evaluate - &lt; in.json</c>).</summary>
internal static class StandardInput
{
    /// <summary>
    /// Standard input; when it is redirected from a regular file, a <see cref="FileStream"/> over it, which can seek, so
    /// that <c>evaluate -</c> takes the fast reader as <c>evaluate FILE</c> does (its fallback reads the input
    /// again from the start). A pipe or a terminal is read as it is, by the general reader.
    /// </summary>
    public static Stream Open()
    {
        if (!OperatingSystem.IsWindows())
        {
            try
            {
                var file = new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0);
                if (file.CanSeek)
                {
                    return file;
                }

                file.Dispose();
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or NotSupportedException)
            {
                // Not a handle FileStream accepts (closed, or of an unusual kind): the console stream reads it.
            }
        }

        return Console.OpenStandardInput();
    }
}
