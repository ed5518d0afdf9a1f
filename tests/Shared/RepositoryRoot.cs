namespace GoHeapDump.Testing;

/// <summary>The checkout the tests were built from: the nearest folder above the test binaries holding Conformance.sln.</summary>
/// <remarks>Compiled into every project under tests/ by tests/Directory.Build.props.</remarks>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> Value = new(Find);

    /// <summary>The repository root's full path; throws when the binaries are not inside a checkout.</summary>
    public static string Path => Value.Value;

    /// <summary>A path under the repository root, e.g. <c>Under("fixtures", "real")</c>.</summary>
    public static string Under(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Conformance.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Conformance.sln not found above " + AppContext.BaseDirectory);
    }
}
