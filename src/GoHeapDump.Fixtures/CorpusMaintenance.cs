using System.Text;
using GoHeapDump.Reference;

namespace GoHeapDump.Fixtures;

/// <summary>What <see cref="CorpusMaintenance.Regenerate"/> did.</summary>
public sealed record RegenResult(IReadOnlyList<string> Written, IReadOnlyList<string> Unchanged, IReadOnlyList<string> LeftInPlace);

/// <summary>What <see cref="CorpusMaintenance.Check(string, TextWriter)"/> found; the corpus is sound when <see cref="Problems"/> is empty.</summary>
public sealed record CheckResult(int FilesVerified, int FixturesChecked, IReadOnlyList<string> Problems)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary><c>goheapdump fixtures regen</c> and <c>check</c>.</summary>
public static class CorpusMaintenance
{
    /// <summary>What check and regen build the corpus with: <see cref="CorpusBuilder.Build"/>. The test assemblies put a
    /// cache keyed by the building assemblies and the input files in its place (tests/Shared/CorpusCache.cs), so that
    /// one test run builds the committed corpus once rather than once per check.</summary>
    internal static Func<string, BuiltCorpus> Builder { get; set; } = CorpusBuilder.Build;

    private static readonly string[] FixtureFolders = ["valid", "invalid"];

    /// <summary>
    /// The repository's fixtures/ folder: walks up from <paramref name="start"/> to the folder holding
    /// Conformance.sln or fixtures/manifest.json. Null when there is none.
    /// </summary>
    public static string? FindFixturesDirectory(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "fixtures");
            if (File.Exists(Path.Combine(candidate, CorpusBuilder.ManifestFileName))
                || (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "Conformance.sln"))))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Rebuilds every generated file into <paramref name="fixturesDir"/>: each written through a temporary name
    /// and moved into place, only when its bytes change, with a readable diff of each changed text file. Files
    /// it does not produce (hand-written sources, real dumps, anything it cannot rebuild) are never touched.
    /// </summary>
    public static RegenResult Regenerate(string fixturesDir, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var built = Builder(fixturesDir);
        var written = new List<string>();
        var unchanged = new List<string>();
        foreach (var (path, bytes) in built.Outputs)
        {
            var full = Path.Combine(fixturesDir, path);
            var old = File.Exists(full) ? File.ReadAllBytes(full) : null;
            if (old is not null && old.AsSpan().SequenceEqual(bytes))
            {
                unchanged.Add(path);
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            AtomicFile.Write(full, s => s.Write(bytes));
            written.Add(path);
            log.WriteLine(old is null ? $"new      {path}" : $"changed  {path}");
            if (old is not null)
            {
                log.Write(Describe(path, old, bytes));
            }
        }

        var leftInPlace = Strays(fixturesDir, built).ToList();
        foreach (var path in leftInPlace)
        {
            log.WriteLine($"kept     {path} (no definition rebuilds it; delete it by hand if it is obsolete)");
        }

        log.WriteLine($"{built.Manifest.Fixtures.Count} fixtures: {written.Count} files written, {unchanged.Count} unchanged.");
        return new RegenResult(written, unchanged, leftInPlace);
    }

    /// <summary>
    /// Verifies every file the committed manifest lists against its SHA-256, finds files it does not list, then
    /// regenerates the corpus into a temporary folder and compares it with the committed one byte for byte.
    /// </summary>
    public static CheckResult Check(string fixturesDir, TextWriter log) => Check(fixturesDir, log, rebuilt: null);

    /// <summary>The same check with the corpus already regenerated from <paramref name="fixturesDir"/> (the tests
    /// build it twice to prove the build deterministic, and check one of the two rather than build a third).</summary>
    internal static CheckResult Check(string fixturesDir, TextWriter log, BuiltCorpus? rebuilt)
    {
        ArgumentNullException.ThrowIfNull(log);
        var problems = new Problems(log);
        var committed = ReadCommittedManifest(fixturesDir, problems);
        var verified = 0;
        if (committed is not null)
        {
            CheckSuiteVersion(committed, problems);
            verified = VerifyListedFiles(fixturesDir, committed, problems, out var listed);
            foreach (var path in Unlisted(fixturesDir, listed))
            {
                problems.Add($"{path}: not listed in the manifest");
            }
        }

        if ((rebuilt ?? Rebuild(fixturesDir, problems)) is not { } built)
        {
            return new CheckResult(verified, committed?.Fixtures.Count ?? 0, problems.All);
        }

        CompareWithCommitted(fixturesDir, built, problems);
        log.WriteLine($"checked {built.Manifest.Fixtures.Count} fixtures: {verified} files match their SHA-256, {built.Outputs.Count} generated files compared; {problems.All.Count} problem(s).");
        return new CheckResult(verified, built.Manifest.Fixtures.Count, problems.All);
    }

    /// <summary>fixtures/manifest.json, or null (and a problem) when it cannot be read.</summary>
    private static Manifest? ReadCommittedManifest(string fixturesDir, Problems problems)
    {
        try
        {
            return Manifest.Parse(File.ReadAllBytes(Path.Combine(fixturesDir, CorpusBuilder.ManifestFileName)));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            problems.Add($"{CorpusBuilder.ManifestFileName}: {e.Message}");
            return null;
        }
    }

    private static void CheckSuiteVersion(Manifest committed, Problems problems)
    {
        if (committed.SuiteVersion != SuiteInfo.Version)
        {
            problems.Add($"{CorpusBuilder.ManifestFileName}: suite version {committed.SuiteVersion}, this goheapdump is {SuiteInfo.Version}");
        }
    }

    /// <summary>Checks each file the manifest lists against its SHA-256; returns how many match, and every listed path.</summary>
    private static int VerifyListedFiles(string fixturesDir, Manifest committed, Problems problems, out HashSet<string> listed)
    {
        var verified = 0;
        listed = new HashSet<string>(StringComparer.Ordinal) { CorpusBuilder.ManifestFileName };
        foreach (var entry in committed.Fixtures)
        {
            foreach (var file in new[] { entry.Dump, entry.Source, entry.Jsonl })
            {
                if (file is null)
                {
                    continue;
                }

                listed.Add(file.Path);
                var full = Path.Combine(fixturesDir, file.Path);
                if (!File.Exists(full))
                {
                    problems.Add($"{file.Path}: missing (listed in the manifest)");
                    continue;
                }

                var actual = JsonlText.Sha256(File.ReadAllBytes(full));
                if (actual != file.Sha256)
                {
                    problems.Add($"{file.Path}: SHA-256 {actual}, the manifest says {file.Sha256}");
                }

                verified++;
            }
        }

        return verified;
    }

    /// <summary>The corpus regeneration would write, or null (and a problem) when it fails.</summary>
    private static BuiltCorpus? Rebuild(string fixturesDir, Problems problems)
    {
        try
        {
            return Builder(fixturesDir);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or InvalidDataException)
        {
            problems.Add($"regeneration failed: {e.Message}");
            return null;
        }
    }

    /// <summary>Writes the regenerated files into a temporary folder and compares each with the committed one.</summary>
    private static void CompareWithCommitted(string fixturesDir, BuiltCorpus built, Problems problems)
    {
        var temp = Directory.CreateTempSubdirectory("goheapdump-fixtures-check-");
        try
        {
            foreach (var (path, bytes) in built.Outputs)
            {
                var target = Path.Combine(temp.FullName, path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllBytes(target, bytes);
            }

            foreach (var path in built.Outputs.Keys)
            {
                var committedFile = Path.Combine(fixturesDir, path);
                var regenerated = File.ReadAllBytes(Path.Combine(temp.FullName, path));
                if (!File.Exists(committedFile))
                {
                    problems.Add($"{path}: regeneration produces it, but it is not committed (run goheapdump fixtures regen)");
                    continue;
                }

                var old = File.ReadAllBytes(committedFile);
                if (!old.AsSpan().SequenceEqual(regenerated))
                {
                    problems.Add($"{path}: regeneration would change it (run goheapdump fixtures regen and review the diff)\n{Describe(path, old, regenerated)}");
                }
            }
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    /// <summary>The check's findings, each logged as it is found.</summary>
    private sealed class Problems(TextWriter log)
    {
        public List<string> All { get; } = [];

        public void Add(string text)
        {
            All.Add(text);
            log.WriteLine($"FAIL {text}");
        }
    }

    /// <summary>Files under valid/, invalid/ (any) and real/ (dumps) that the manifest does not list.</summary>
    private static IEnumerable<string> Unlisted(string fixturesDir, HashSet<string> listed)
    {
        foreach (var folder in FixtureFolders)
        {
            var dir = Path.Combine(fixturesDir, folder);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (var file in Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var rel = Relative(fixturesDir, file);
                if (!listed.Contains(rel))
                {
                    yield return rel;
                }
            }
        }

        var real = Path.Combine(fixturesDir, "real");
        if (Directory.Exists(real))
        {
            foreach (var file in Directory.GetFiles(real, "*.dump.gz", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var rel = Relative(fixturesDir, file);
                if (!listed.Contains(rel))
                {
                    yield return rel;
                }
            }
        }
    }

    /// <summary>Files under valid/ and invalid/ that regeneration neither produces nor reads.</summary>
    private static IEnumerable<string> Strays(string fixturesDir, BuiltCorpus built)
    {
        var known = new HashSet<string>(built.Outputs.Keys, StringComparer.Ordinal);
        foreach (var e in built.Manifest.Fixtures)
        {
            foreach (var f in new[] { e.Dump, e.Source, e.Jsonl })
            {
                if (f is not null)
                {
                    known.Add(f.Path);
                }
            }
        }

        return Unlisted(fixturesDir, known);
    }

    private static string Relative(string root, string file) => Path.GetRelativePath(root, file).Replace('\\', '/');

    /// <summary>A readable account of how a file changed: a line diff for text, the first differing offset for bytes.</summary>
    public static string Describe(string path, byte[] before, byte[] after)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (path.EndsWith(".dump", StringComparison.Ordinal))
        {
            var at = 0;
            while (at < before.Length && at < after.Length && before[at] == after[at])
            {
                at++;
            }

            return $"    {before.Length} bytes -> {after.Length} bytes; first difference at offset {at} (0x{at:x})\n";
        }

        return TextDiff.Render(Encoding.UTF8.GetString(before), Encoding.UTF8.GetString(after));
    }
}
