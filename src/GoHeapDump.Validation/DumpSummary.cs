using System.Numerics;
using System.Text;

namespace GoHeapDump.Validation;

/// <summary>
/// A dump's vital statistics from one streaming pass (what <c>goheapdump inspect</c> prints): records and bytes by kind,
/// object sizes in power-of-two buckets, goroutines by status and wait reason, type names, and the first params and
/// memstats records. Per record it allocates only for a new goroutine state or type name.
/// </summary>
public sealed class DumpSummary
{
    /// <summary>Object-size buckets: bucket 0 holds empty objects, bucket b ≥ 1 sizes in (2^(b−1), 2^b].</summary>
    public const int SizeBucketCount = 65;

    // The summary needs contents lengths, not bytes: longer contents are skipped, not held.
    private const int ContentsLimit = 16 << 20;

    private readonly KindTally[] _kinds = new KindTally[HeapDumpFormat.MaxRecordTag + 1];
    private readonly long[] _sizeCounts = new long[SizeBucketCount];
    private readonly long[] _sizeBytes = new long[SizeBucketCount];
    private readonly Dictionary<(ulong Status, string WaitReason), long> _goroutines = [];
    private readonly Dictionary<string, (ulong Size, long Records)> _types = new(StringComparer.Ordinal);

    /// <summary>An empty summary of a dump with <paramref name="version"/>'s header; feed it with <see cref="Add"/>.</summary>
    public DumpSummary(HeaderVersion version) => Version = version;

    /// <summary>The header's version.</summary>
    public HeaderVersion Version { get; }

    /// <summary>Bytes read: the whole file, or up to the format error.</summary>
    public long Bytes { get; set; }

    /// <summary>The format error that ended the pass early, or null when the whole dump was read.</summary>
    public HeapDumpFormatException? Error { get; set; }

    /// <summary>Count and encoded bytes per record kind, indexed by tag.</summary>
    public IReadOnlyList<KindTally> Kinds => _kinds;

    /// <summary>Objects per size bucket (see <see cref="SizeBucketCount"/>).</summary>
    public IReadOnlyList<long> ObjectCounts => _sizeCounts;

    /// <summary>Object bytes (contents lengths) per size bucket.</summary>
    public IReadOnlyList<long> ObjectBytes => _sizeBytes;

    /// <summary>Goroutines by status and wait reason.</summary>
    public IReadOnlyDictionary<(ulong Status, string WaitReason), long> Goroutines => _goroutines;

    /// <summary>Goroutines whose record says <c>is_system</c>.</summary>
    public long SystemGoroutines { get; private set; }

    /// <summary>Type names with the size of the last record of that name and how many records bear it.</summary>
    public IReadOnlyDictionary<string, (ulong Size, long Records)> Types => _types;

    /// <summary>The first params record, or null when there was none.</summary>
    public ParamsRecord? Params { get; private set; }

    /// <summary>Who wrote the dump, from the first params record; null when there was none.</summary>
    public DumpProducer? Producer { get; private set; }

    /// <summary>The first memstats record, or null when there was none.</summary>
    public MemStatsRecord? MemStats { get; private set; }

    /// <summary>Reads <paramref name="path"/> to its end or to its first format error (then <see cref="Error"/>).</summary>
    /// <exception cref="HeapDumpFormatException">The file does not start with a heap dump header.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static DumpSummary Read(string path)
    {
        using var reader = HeapDumpReader.Open(path);
        reader.ContentsLimit = ContentsLimit;
        var summary = new DumpSummary(reader.Version);
        try
        {
            while (reader.MoveNext())
            {
                summary.Add(reader.Current);
            }
        }
        catch (HeapDumpFormatException e)
        {
            summary.Error = e;
        }

        summary.Bytes = reader.Position;
        return summary;
    }

    /// <summary>Counts one record.</summary>
    public void Add(HeapDumpRecordView v)
    {
        var kind = v.Kind;
        ref var tally = ref _kinds[(int)kind];
        tally = new KindTally(tally.Count + 1, tally.Bytes + v.Length);
        switch (kind)
        {
            case RecordKind.Object:
                var size = (ulong)v.ContentsLength;
                var bucket = size == 0 ? 0 : 64 - BitOperations.LeadingZeroCount(size - 1);
                _sizeCounts[bucket]++;
                _sizeBytes[bucket] += (long)size;
                break;
            case RecordKind.Goroutine:
                var key = (v[GoroutineValues.Status], Encoding.UTF8.GetString(v.Text));
                _goroutines[key] = _goroutines.GetValueOrDefault(key) + 1;
                SystemGoroutines += (long)v[GoroutineValues.IsSystem];
                break;
            case RecordKind.Type:
                var name = Encoding.UTF8.GetString(v.Text);
                var known = _types.GetValueOrDefault(name);
                _types[name] = (v[TypeValues.Size], known.Records + 1);
                break;
            case RecordKind.Params when Params is null:
                Params = (ParamsRecord)v.ToRecord();
                Producer = DumpProducer.FromParams(Params, Version);
                break;
            case RecordKind.MemStats when MemStats is null:
                MemStats = (MemStatsRecord)v.ToRecord();
                break;
        }
    }
}
