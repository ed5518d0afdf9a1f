using GoHeapDump.Fixtures;

namespace GoHeapDump.Cli;

/// <summary>
/// Where the commands that read the conformance corpus find it: <c>--fixtures DIR</c> when given; else the
/// fixtures/ folder of a checkout of this repository above the current directory (where <c>fixtures regen</c>
/// writes); else the corpus the tool was built with, which the build copies beside the tool (<c>corpus/</c>, also
/// inside the installed .NET tool package), so an installed <c>goheapdump</c> works from any directory.
/// </summary>
internal static class CorpusLocation
{
    /// <summary>The folder name of the corpus beside the tool's assembly.</summary>
    public const string BundledFolderName = "corpus";

    /// <summary>The corpus the tool carries, or null when this build has none (it is copied at build time).</summary>
    public static string? Bundled
    {
        get
        {
            var dir = Path.Combine(AppContext.BaseDirectory, BundledFolderName);
            return File.Exists(Path.Combine(dir, CorpusBuilder.ManifestFileName)) ? dir : null;
        }
    }

    /// <summary>The corpus to read: the explicit folder, the checkout's, or the bundled one (null: none).</summary>
    public static string? Resolve(string? explicitDir) =>
        explicitDir ?? CorpusMaintenance.FindFixturesDirectory(Environment.CurrentDirectory) ?? Bundled;

    /// <summary>The message when no corpus was found.</summary>
    public const string NotFound = "no fixtures/ folder above the current directory and no corpus bundled with this goheapdump";

    /// <summary>The suite version a corpus's manifest.json records, or null when it cannot be read.</summary>
    public static string? VersionOf(string dir)
    {
        try
        {
            return Manifest.Parse(File.ReadAllBytes(Path.Combine(dir, CorpusBuilder.ManifestFileName))).SuiteVersion;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException or System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
