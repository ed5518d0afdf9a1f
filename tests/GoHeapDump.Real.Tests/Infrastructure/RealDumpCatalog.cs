using System.Globalization;
using System.IO.Compression;
using GoHeapDump.Kaitai;
using GoHeapDump.Real.Tests.Manifests;

namespace GoHeapDump.Real.Tests.Infrastructure;

/// <summary>A line of fixtures/real/INDEX.tsv: a committed dump's uncompressed size and SHA-256.</summary>
internal sealed record RealDumpIndexEntry(string Directory, string File, long DumpBytes, string Sha256, long GzBytes, string Toolchain, string Runner);

/// <summary>A committed real dump: <c>fixtures/real/DIR/PROBE.dump.gz</c> with its manifest and index entry.</summary>
internal sealed record RealDump(string Directory, string Probe, string ManifestPath, string DumpGzPath, RealDumpIndexEntry? Index)
{
    /// <summary>The name tests use: <c>gc-go1.19.8-linux-amd64/basic</c>.</summary>
    public string Id => $"{Directory}/{Probe}";

    public ProbeManifest LoadManifest() => ProbeManifest.Load(ManifestPath);

    /// <summary>The uncompressed dump as a stream that hashes what is read.</summary>
    public HashingStream OpenDecompressed() =>
        new(new GZipStream(File.OpenRead(DumpGzPath), CompressionMode.Decompress));

    /// <summary>Every record of the dump (for the small committed dumps only: tests that look at all of them).</summary>
    public IReadOnlyList<HeapDumpRecord> ReadAllRecords()
    {
        using var reader = KaitaiHeapDumpReader.Open(OpenDecompressed());
        var records = new List<HeapDumpRecord>();
        while (reader.Read() is { } record)
        {
            records.Add(record);
        }

        return records;
    }

    public override string ToString() => Id;
}

/// <summary>The committed real dumps under fixtures/real, found by their manifests, with INDEX.tsv.</summary>
internal static class RealDumpCatalog
{
    private static readonly Lazy<IReadOnlyList<RealDumpIndexEntry>> IndexValue = new(ReadIndex);
    private static readonly Lazy<IReadOnlyList<RealDump>> AllValue = new(Discover);

    public static IReadOnlyList<RealDumpIndexEntry> Index => IndexValue.Value;

    public static IReadOnlyList<RealDump> All => AllValue.Value;

    /// <summary>Theory data: one case per committed dump, named by its id.</summary>
    public static TheoryData<string> Ids
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var dump in All)
            {
                data.Add(dump.Id);
            }

            return data;
        }
    }

    // One read per dump, whichever thread asks first; threads asking for other dumps do not wait for it.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<IReadOnlyList<HeapDumpRecord>>> RecordCache = new(StringComparer.Ordinal);

    /// <summary>A committed dump's records, read once per test run (for tests that look at the same dumps many times).</summary>
    public static IReadOnlyList<HeapDumpRecord> Records(string id) =>
        RecordCache.GetOrAdd(id, key => new Lazy<IReadOnlyList<HeapDumpRecord>>(() => Get(key).ReadAllRecords())).Value;

    public static RealDump Get(string id) =>
        All.FirstOrDefault(d => d.Id == id) ?? throw new ArgumentException($"no committed dump {id} under {RepoPaths.RealDumps}", nameof(id));

    private static List<RealDump> Discover()
    {
        var dumps = new List<RealDump>();
        foreach (var dir in Directory.GetDirectories(RepoPaths.RealDumps).Order(StringComparer.Ordinal))
        {
            foreach (var manifest in Directory.GetFiles(dir, "*.manifest.json").Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(dir);
                var probe = Path.GetFileName(manifest)[..^".manifest.json".Length];
                var gz = Path.Combine(dir, probe + ".dump.gz");
                var entry = Index.FirstOrDefault(e => e.Directory == name && e.File == probe + ".dump.gz");
                dumps.Add(new RealDump(name, probe, manifest, gz, entry));
            }
        }

        return dumps;
    }

    private static List<RealDumpIndexEntry> ReadIndex()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.RealDumps, "INDEX.tsv"));
        const string header = "dir\tfile\tdump_bytes\tdump_sha256\tgz_bytes\trecorded\ttoolchain\trunner";
        if (lines.Length == 0 || lines[0] != header)
        {
            throw new InvalidDataException($"INDEX.tsv does not start with the header \"{header}\"");
        }

        var entries = new List<RealDumpIndexEntry>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var f = line.Split('\t');
            if (f.Length != 8)
            {
                throw new InvalidDataException($"INDEX.tsv line has {f.Length} columns, want 8: {line}");
            }

            entries.Add(new RealDumpIndexEntry(f[0], f[1], long.Parse(f[2], CultureInfo.InvariantCulture), f[3],
                long.Parse(f[4], CultureInfo.InvariantCulture), f[6], f[7]));
        }

        return entries;
    }
}
