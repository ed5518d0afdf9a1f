using System.IO.Compression;
using GoHeapDump.Reference;
using GoHeapDump.Testing;

namespace GoHeapDump.Robustness.Tests;

/// <summary>
/// The valid dumps the mutation tests start from: the fuzz seeds (every record kind and header variant, under
/// 1 KB), reference-writer dumps for a little- and a big-endian, a 32-bit architecture, the real dumps of
/// fixtures/real (gc on amd64, arm, mips, s390x; gccgo) and every dump under fixtures/valid.
/// </summary>
internal static class Corpus
{
    private static readonly Lazy<IReadOnlyDictionary<string, byte[]>> Dumps = new(Load);

    public static IReadOnlyDictionary<string, byte[]> All => Dumps.Value;

    /// <summary>Names for xunit theories.</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in All.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(name);
        }

        return data;
    }

    private static Dictionary<string, byte[]> Load()
    {
        var dumps = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var seeds = Path.Combine(Path.GetTempPath(), $"goheapdump-robustness-seeds-{Environment.ProcessId}");
        Fuzz.Seeds.Write(seeds);
        foreach (var file in Directory.GetFiles(seeds))
        {
            dumps["seed/" + Path.GetFileNameWithoutExtension(file)] = File.ReadAllBytes(file);
        }

        Directory.Delete(seeds, recursive: true);
        foreach (var (seed, objects, arch) in new[] { (1UL, 40, "amd64"), (2UL, 40, "s390x"), (3UL, 40, "386") })
        {
            dumps[$"generated/{arch}-seed{seed}"] = HeapDumpWriter.ToBytes(StateBuilder.Build(seed, objects, arch));
        }

        var root = RepositoryRoot.Path;
        var real = Path.Combine(root, "fixtures", "real");
        if (Directory.Exists(real))
        {
            foreach (var gz in Directory.GetFiles(real, "*.dump.gz", SearchOption.AllDirectories))
            {
                using var input = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress);
                using var bytes = new MemoryStream();
                input.CopyTo(bytes);
                dumps["real/" + Path.GetRelativePath(real, gz).Replace(".dump.gz", "", StringComparison.Ordinal)] = bytes.ToArray();
            }
        }

        var valid = Path.Combine(root, "fixtures", "valid");
        if (Directory.Exists(valid))
        {
            foreach (var file in Directory.GetFiles(valid, "*", SearchOption.AllDirectories))
            {
                if (file.EndsWith(".dump", StringComparison.Ordinal) || file.EndsWith(".bin", StringComparison.Ordinal))
                {
                    dumps["valid/" + Path.GetRelativePath(valid, file)] = File.ReadAllBytes(file);
                }
            }
        }

        return dumps;
    }
}
