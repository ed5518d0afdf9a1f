using BenchmarkDotNet.Attributes;
using GoHeapDump.Reference;
using GoHeapDump.Runtime;

namespace GoHeapDump.Benchmarks;

/// <summary>
/// The record-level writers on the records of a seeded 100,000-object amd64 dump (about 4 MB; read once by the
/// fast reader): the record writer to bytes, and the canonical JSONL rendering, both to a null stream. These walk
/// every record kind field by field, so they show what a change to that walk costs; the reference writer
/// (<see cref="HeapDumpWriterBenchmarks"/>) does not use them.
/// </summary>
[MemoryDiagnoser]
public class RecordWriterBenchmarks
{
    private HeapDumpRecord[] _records = [];

    [GlobalSetup]
    public void Setup()
    {
        using var dump = new MemoryStream();
        HeapDumpWriter.Write(StateBuilder.Build(1, 100_000, "amd64"), dump);
        dump.Position = 0;
        using var reader = HeapDumpReader.Open(dump);
        var records = new List<HeapDumpRecord>();
        while (reader.Read() is { } record)
        {
            records.Add(record);
        }

        _records = [.. records];
    }

    [Benchmark(Baseline = true)]
    public void RecordWriterToNullStream() => RecordWriter.Write(Stream.Null, HeaderVersion.Go17, _records);

    [Benchmark]
    public void CanonicalJsonlToNullStream()
    {
        using var jsonl = new CanonicalJsonlWriter(Stream.Null);
        jsonl.WriteHeader(HeaderVersion.Go17);
        foreach (var record in _records)
        {
            jsonl.WriteRecord(record);
        }
    }
}
