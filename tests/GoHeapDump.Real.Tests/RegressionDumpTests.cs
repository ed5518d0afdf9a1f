using System.IO.Compression;
using GoHeapDump.Real.Tests.Infrastructure;
using Xunit.Abstractions;

namespace GoHeapDump.Real.Tests;

/// <summary>
/// Real dumps written while the last GC cycle was still sweeping (fixtures/producers/go/unswept, kept from runs that
/// showed it): the runtime reads memstats before mdump sweeps every span, so the dump holds fewer objects than
/// HeapObjects counts. The probes rarely catch this state (one strict failure in CI, Go 1.21 on a busy machine), so
/// these dumps pin it: rule V19 must allow it, in every release, while still bounding the dump from above. The
/// directory also holds other real dumps that once made a rule fire wrongly (one test each).
/// </summary>
public sealed class RegressionDumpTests(ITestOutputHelper output)
{
    public static TheoryData<string> Dumps => [.. Files];

    private static List<string> Files =>
        [.. Directory.GetFiles(RegressionsDirectory, "unswept-*.dump.gz").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    private static string RegressionsDirectory => Path.Combine(RepoPaths.Root, "tests", "GoHeapDump.Real.Tests", "Regressions");

    [Fact]
    public void Directory_HoldsAGo121AndAGo122Dump()
    {
        // Before 1.22 V19 also bounds the count and HeapAlloc; from 1.22 only HeapInuse: one dump on each side.
        Assert.Equal(["unswept-gc-go1.21.13-linux-amd64.dump.gz", "unswept-gc-go1.22.12-linux-amd64.dump.gz"], Files);
    }

    [Theory]
    [MemberData(nameof(Dumps))]
    public void UnsweptDump_HoldsFewerObjectsThanHeapObjects_AndValidatesStrict(string file)
    {
        var bytes = Decompress(Path.Combine(RegressionsDirectory, file));

        // The precondition that makes the test able to fail: the dump really shows the gap.
        var (objects, heapObjects, version) = Count(bytes);
        output.WriteLine($"{file}: {version}, {objects} object records, memstats HeapObjects {heapObjects}");
        Assert.True(objects < heapObjects, $"{file}: {objects} objects dumped, HeapObjects {heapObjects}: not an unfinished sweep");

        foreach (var profile in RealValidation.Profiles)
        {
            var report = RealValidation.Validate(profile, file, () => new MemoryStream(bytes, writable: false));
            output.WriteLine(RealValidation.Describe(report));
            Assert.True(RealValidation.Clean(report) && report.WarningCount == 0, RealValidation.Describe(report));
        }
    }

    /// <summary>
    /// A Go 1.22 dump of four 576-byte objects whose type reflect.StructOf made (fixtures/producers/go/reflect-types):
    /// their malloc headers point into the heap, where reflect keeps the types it makes, and V21 must accept them.
    /// </summary>
    [Fact]
    public void ReflectMadeTypes_MallocHeadersPointIntoTheHeap_AndValidateStrict()
    {
        var file = "reflect-types-gc-go1.22.12-linux-amd64.dump.gz";
        var bytes = Decompress(Path.Combine(RegressionsDirectory, file));

        // The precondition: 576-byte objects with pointer fields whose first word is a heap address.
        using (var reader = DumpReaders.Open(DumpReaders.Fast, new MemoryStream(bytes, writable: false)))
        {
            var heap = (Start: 0UL, End: 0UL);
            var found = 0;
            while (reader.Read() is { } record)
            {
                if (record is ParamsRecord p)
                {
                    heap = (p.HeapStart, p.HeapEnd);
                }
                else if (record is ObjectRecord { Contents.Length: 576, Fields.Count: > 0 } o
                    && System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(o.Contents.Span) is var header
                    && header >= heap.Start && header < heap.End)
                {
                    found++;
                }
            }

            Assert.True(found >= 4, $"{file}: {found} objects with a malloc header inside the heap");
        }

        foreach (var profile in RealValidation.Profiles)
        {
            var report = RealValidation.Validate(profile, file, () => new MemoryStream(bytes, writable: false));
            output.WriteLine(RealValidation.Describe(report));
            Assert.True(RealValidation.Clean(report) && report.WarningCount == 0, RealValidation.Describe(report));
        }
    }

    private static byte[] Decompress(string path)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var copy = new MemoryStream();
        gz.CopyTo(copy);
        return copy.ToArray();
    }

    private static (ulong Objects, ulong HeapObjects, string Version) Count(byte[] bytes)
    {
        using var reader = DumpReaders.Open(DumpReaders.Fast, new MemoryStream(bytes, writable: false));
        ulong objects = 0;
        ulong heapObjects = 0;
        var version = "";
        while (reader.Read() is { } record)
        {
            switch (record)
            {
                case ObjectRecord:
                    objects++;
                    break;
                case MemStatsRecord m:
                    heapObjects = m.HeapObjects;
                    break;
                case ParamsRecord p:
                    version = p.VersionInfo.ToString();
                    break;
            }
        }

        return (objects, heapObjects, version);
    }
}
