using GoHeapDump.Fixtures;

namespace GoHeapDump.Fixtures.Tests;

/// <summary>The repository's fixtures/ folder and its committed manifest, loaded once.</summary>
internal static class Corpus
{
    private static readonly Lazy<Manifest> LazyManifest = new(() =>
        Manifest.Parse(File.ReadAllBytes(Path.Combine(Directory!, CorpusBuilder.ManifestFileName))));

    /// <summary>fixtures/ of the repository the tests were built from.</summary>
    public static string Directory { get; } = CorpusMaintenance.FindFixturesDirectory(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"no fixtures/ folder above {AppContext.BaseDirectory}");

    /// <summary>The repository root.</summary>
    public static string Root => Path.GetDirectoryName(Directory)!;

    public static Manifest Manifest => LazyManifest.Value;

    public static ManifestEntry Entry(string name) => Manifest.Fixtures.Single(e => e.Name == name);

    /// <summary>Fixture names as theory data: one test case per fixture.</summary>
    public static TheoryData<string> Names(Func<ManifestEntry, bool>? where = null)
    {
        var data = new TheoryData<string>();
        foreach (var e in Manifest.Fixtures)
        {
            if (where is null || where(e))
            {
                data.Add(e.Name);
            }
        }

        return data;
    }

    /// <summary>The dump's bytes as a parser sees them (real dumps decompressed).</summary>
    public static byte[] DumpBytes(ManifestEntry entry)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Directory, entry.Dump.Path));
        return entry.Gzip ? CorpusBuilder.Gunzip(bytes) : bytes;
    }

    /// <summary>Skips when a tool is missing, except in CI (GOHEAPDUMP_CI=1), where a missing tool is a failure.</summary>
    public static void SkipUnlessInstalled(bool installed, string reason)
    {
        if (installed)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("GOHEAPDUMP_CI") == "1")
        {
            Assert.Fail($"{reason} (GOHEAPDUMP_CI=1: CI must install it; see .ci/run)");
        }

        Skip.If(true, reason);
    }
}
