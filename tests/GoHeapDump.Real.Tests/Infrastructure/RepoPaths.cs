using GoHeapDump.Testing;

namespace GoHeapDump.Real.Tests.Infrastructure;

/// <summary>The places under the checkout these tests read (the root from tests/Shared/RepositoryRoot.cs).</summary>
internal static class RepoPaths
{
    /// <summary>The repository root (the directory holding Conformance.sln).</summary>
    public static string Root => RepositoryRoot.Path;

    /// <summary>fixtures/real: the committed real dumps.</summary>
    public static string RealDumps => RepositoryRoot.Under("fixtures", "real");

    /// <summary>fixtures/producers/go: the probe programs, run-probes, dumpjsonl.</summary>
    public static string GoProducers => RepositoryRoot.Under("fixtures", "producers", "go");
}
