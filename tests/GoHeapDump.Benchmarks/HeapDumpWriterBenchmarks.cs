using BenchmarkDotNet.Attributes;
using GoHeapDump.Reference;
using GoHeapDump.Runtime;

namespace GoHeapDump.Benchmarks;

/// <summary>
/// The reference writer on a 1M-object amd64 state (about 37 MB of dump) to a null stream. The memory
/// diagnoser shows the allocations per dump: a constant (the writer, its 4 KiB buffer and 8 KiB type cache),
/// nothing per record.
/// </summary>
[MemoryDiagnoser]
public class HeapDumpWriterBenchmarks
{
    private RuntimeState _state = null!;

    [Params(1_000_000)]
    public int Objects { get; set; }

    [GlobalSetup]
    public void Setup() => _state = StateBuilder.Build(1, Objects, "amd64");

    [Benchmark]
    public void WriteToNullStream() => HeapDumpWriter.Write(_state, Stream.Null);
}
