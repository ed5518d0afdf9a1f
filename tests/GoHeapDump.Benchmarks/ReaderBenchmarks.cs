using BenchmarkDotNet.Attributes;
using GoHeapDump.Kaitai;
using GoHeapDump.Validation;

namespace GoHeapDump.Benchmarks;

/// <summary>
/// The fast reader, the Kaitai parser and the validator on one dump: the file named by GOHEAPDUMP_BENCH_FILE, or a synthetic
/// dump of 200,000 32-byte objects (two pointer fields each) in the shape gogen produces.
/// </summary>
[MemoryDiagnoser]
public class ReaderBenchmarks
{
    private string _path = "";
    private bool _temporary;

    [GlobalSetup]
    public void Setup()
    {
        var named = Environment.GetEnvironmentVariable("GOHEAPDUMP_BENCH_FILE");
        if (!string.IsNullOrEmpty(named))
        {
            _path = named;
            return;
        }

        _path = Path.Combine(Path.GetTempPath(), $"reader-bench-{Environment.ProcessId}.dump");
        _temporary = true;
        using var output = new BufferedStream(File.Create(_path), 1 << 20);
        var buffer = new byte[16];
        void U(ulong value) => output.Write(buffer, 0, Uvarint.Write(buffer, value));
        output.Write("go1.7 heap dump\n"u8);
        U(6); U(0); U(8); U(0xc000000000); U(0xc004000000); U(5); output.Write("amd64"u8); U(0); U(2);
        var contents = new byte[32];
        for (var i = 0UL; i < 200_000; i++)
        {
            U(1); U(0xc000000000 + (i * 32)); U(32); output.Write(contents); U(1); U(0); U(1); U(24); U(0);
        }

        U(10);
        for (var i = 0; i < HeapDumpFormat.MemStatsValueCount; i++)
        {
            U(0);
        }

        U(0);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_temporary)
        {
            File.Delete(_path);
        }
    }

    [Benchmark(Baseline = true)]
    public long StructureOnly()
    {
        using var reader = HeapDumpReader.Open(_path);
        long count = 0;
        while (reader.MoveNext())
        {
            count++;
        }

        return count;
    }

    [Benchmark]
    public long ModelRecords()
    {
        using var reader = HeapDumpReader.Open(_path);
        long count = 0;
        while (reader.Read() is not null)
        {
            count++;
        }

        return count;
    }

    [Benchmark]
    public long KaitaiRecords()
    {
        using var reader = KaitaiHeapDumpReader.Open(_path);
        long count = 0;
        while (reader.Read() is not null)
        {
            count++;
        }

        return count;
    }

    [Benchmark]
    public long FullValidation() => HeapDumpValidator.ValidateFile(_path).ErrorCount;
}
