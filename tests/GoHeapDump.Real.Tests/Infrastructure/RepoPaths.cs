namespace GoHeapDump.Real.Tests.Infrastructure;

/// <summary>Where the repository's files are, found from the test assembly's directory.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> RootValue = new(FindRoot);

    /// <summary>The repository root (the directory holding Conformance.sln).</summary>
    public static string Root => RootValue.Value;

    /// <summary>fixtures/real: the committed real dumps.</summary>
    public static string RealDumps => Path.Combine(Root, "fixtures", "real");

    /// <summary>fixtures/producers/go: the probe programs, run-probes, dumpjsonl.</summary>
    public static string GoProducers => Path.Combine(Root, "fixtures", "producers", "go");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Conformance.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Conformance.sln above {AppContext.BaseDirectory}");
    }
}
