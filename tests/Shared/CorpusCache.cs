using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using GoHeapDump.Fixtures;

namespace GoHeapDump.Testing;

/// <summary>
/// The corpus build of the test run, shared by the test assemblies that check the corpus (Fixtures.Tests, Cli.Tests):
/// a build takes seconds and a run needs the same one several times. Keyed by SHA-256 over everything that produces the
/// build: the bytes of the GoHeapDump assemblies <see cref="CorpusBuilder"/> runs on, the .NET runtime's version, and
/// every file under valid/, invalid/ and real/ of the folder built (a superset of what the build reads: the .hex
/// sources, their hand-written JSONL, real/INDEX.tsv, the real dumps). Any change to the code or the inputs is a new key.
/// </summary>
/// <remarks>
/// Only the build of the repository's own fixtures/ is stored (in the temp folder, one file per key, written under a
/// cross-process lock, so that the assemblies running side by side build it once); any other folder whose inputs are
/// the same (an exported copy) reads it, and a folder with other inputs (a copy with a flipped byte) is built afresh.
/// <c>CorpusCheckTests.Build_Twice_GivesIdenticalBytes</c> builds the corpus afresh in every run and compares it with
/// this one, so a stale or damaged cache fails a test rather than pass one.
/// Compiled into the test projects that check the corpus; each routes <see cref="CorpusMaintenance"/> through it.
/// </remarks>
internal static class CorpusCache
{
    private static readonly string Store = Path.Combine(Path.GetTempPath(), "goheapdump-test-corpus");
    private static readonly Lazy<byte[]> CodeIdentity = new(HashBuildingCode);
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, BuiltCorpus> InProcess = new(StringComparer.Ordinal);

    [ModuleInitializer]
    internal static void RouteCorpusMaintenanceThroughTheCache() => CorpusMaintenance.Builder = Build;

    /// <summary>The corpus <see cref="CorpusBuilder.Build"/> would build from <paramref name="fixturesDir"/>.</summary>
    public static BuiltCorpus Build(string fixturesDir)
    {
        var key = Key(fixturesDir);
        lock (Gate)
        {
            if (InProcess.TryGetValue(key, out var known))
            {
                return known;
            }

            var built = IsRepositoryCorpus(fixturesDir) ? BuildOrLoadStored(fixturesDir, key) : LoadStored(key) ?? CorpusBuilder.Build(fixturesDir);
            InProcess[key] = built;
            return built;
        }
    }

    private static bool IsRepositoryCorpus(string fixturesDir) =>
        string.Equals(Path.GetFullPath(fixturesDir).TrimEnd('/'), RepositoryRoot.Under("fixtures"), StringComparison.Ordinal);

    private static BuiltCorpus BuildOrLoadStored(string fixturesDir, string key)
    {
        Directory.CreateDirectory(Store);
        using var exclusive = TakeLock();
        if (LoadStored(key) is { } stored)
        {
            File.SetLastWriteTimeUtc(FileOf(key), DateTime.UtcNow);
            return stored;
        }

        var built = CorpusBuilder.Build(fixturesDir);
        var file = FileOf(key);
        var temp = file + "." + Environment.ProcessId + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temp)))
        {
            writer.Write(built.Outputs.Count);
            foreach (var (path, bytes) in built.Outputs)
            {
                writer.Write(path);
                writer.Write(bytes.Length);
                writer.Write(bytes);
            }
        }

        File.Move(temp, file, overwrite: true);

        // Each change to the code is a new key: builds not written for a day go, so the store stays a few files.
        foreach (var old in Directory.GetFiles(Store, "*.bin").Where(f => f != file && File.GetLastWriteTimeUtc(f) < DateTime.UtcNow.AddDays(-1)))
        {
            File.Delete(old);
        }

        return built;
    }

    private static BuiltCorpus? LoadStored(string key)
    {
        var file = FileOf(key);
        if (!File.Exists(file))
        {
            return null;
        }

        using var reader = new BinaryReader(File.OpenRead(file));
        var outputs = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        for (var count = reader.ReadInt32(); count > 0; count--)
        {
            var path = reader.ReadString();
            outputs[path] = reader.ReadBytes(reader.ReadInt32());
        }

        return new BuiltCorpus(outputs, Manifest.Parse(outputs[CorpusBuilder.ManifestFileName]));
    }

    private static string FileOf(string key) => Path.Combine(Store, key + ".bin");

    /// <summary>An exclusive lock on the store across processes: another holder makes this wait, up to five minutes.</summary>
    private static FileStream TakeLock()
    {
        var path = Path.Combine(Store, "lock");
        for (var waited = 0; ; waited += 100)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited < 300_000)
            {
                Thread.Sleep(100);
            }
        }
    }

    private static string Key(string fixturesDir)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(CodeIdentity.Value);
        foreach (var folder in CorpusExport.Folders)
        {
            var dir = Path.Combine(fixturesDir, folder);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (var file in Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var bytes = File.ReadAllBytes(file);
                hash.AppendData(Encoding.UTF8.GetBytes($"{Path.GetRelativePath(fixturesDir, file)}\0{bytes.Length}\0"));
                hash.AppendData(bytes);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The .NET runtime's version and the bytes of every GoHeapDump assembly the builder's assembly reaches.</summary>
    private static byte[] HashBuildingCode()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(RuntimeInformation.FrameworkDescription + "\0"));
        var seen = new SortedDictionary<string, Assembly>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([typeof(CorpusBuilder).Assembly]);
        while (pending.TryPop(out var assembly))
        {
            if (!seen.TryAdd(assembly.GetName().Name!, assembly))
            {
                continue;
            }

            foreach (var reference in assembly.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("GoHeapDump", StringComparison.Ordinal)))
            {
                pending.Push(Assembly.Load(reference));
            }
        }

        foreach (var (name, assembly) in seen)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name + "\0"));
            hash.AppendData(File.ReadAllBytes(assembly.Location));
        }

        return hash.GetHashAndReset();
    }
}
