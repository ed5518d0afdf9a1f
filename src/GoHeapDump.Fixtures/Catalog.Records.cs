using System.Buffers.Binary;
using GoHeapDump.Validation;

namespace GoHeapDump.Fixtures;

/// <summary>Building blocks of the described fixtures: a small, complete, strict-clean dump and helpers.</summary>
public static partial class Catalog
{
    // Addresses of the baseline dump (amd64, Go 1.19-like): one 64 MiB heap arena, text/data/bss of a small binary.
    internal const ulong HeapStart = 0xc000000000;
    internal const ulong HeapEnd = 0xc004000000;
    internal const ulong TypeT = 0x4b2a40;
    internal const ulong TypeU = 0x4b3000;
    internal const ulong ItabT = 0x4e1f00;
    internal const ulong ObjA = 0xc000010000;
    internal const ulong ObjB = 0xc000010010;
    internal const ulong ObjC = 0xc000012000;
    internal const ulong G1 = 0xc0000001a0;
    internal const ulong G1Sp = 0xc000040f60;
    internal const ulong G1Frame1Sp = 0xc000040f70;
    internal const ulong D1 = 0xc000040f90;
    internal const ulong P1 = 0xc000040fa8;
    internal const ulong G2 = 0xc000000680;
    internal const ulong G2Sp = 0xc00004a7d0;
    internal const ulong M0 = 0x5a3e40;
    internal const ulong DataStart = 0x5a0000;
    internal const ulong BssStart = 0x5b0000;
    internal const ulong Bucket1 = 0x7fd2c4a01000;
    internal const ulong FinalizerFuncval = 0x4b9d70;

    // Indices of the baseline's records, for the variants that change one of them.
    internal const int IParams = 0, IType = 1, IItab = 2, IObjA = 3, IObjB = 4, IObjC = 5, IG1 = 6, IG1Frame0 = 7, IG1Frame1 = 8,
        ID1 = 9, IP1 = 10, IG2 = 11, IG2Frame0 = 12, IOsThread = 13, IData = 14, IBss = 15, IFinalizer = 16,
        IQueuedFinalizer = 17, IMemStats = 18, IMemProf = 19, IAllocSample = 20, IEof = 21;

    /// <summary>
    /// A small dump with every record kind but other_root, as the gc runtime would write it (section order,
    /// chains, depths, child sps, references all consistent): it validates clean under the strict profile.
    /// The invalid value and reference fixtures each change one thing in it.
    /// </summary>
    internal static List<HeapDumpRecord> Baseline() =>
    [
        ParamsRecord.WithArch(false, 8, HeapStart, HeapEnd, "amd64", "go1.19.8", 4),
        new TypeRecord(TypeT, 8, "*main.T", true),
        new ItabRecord(ItabT, TypeT),
        new ObjectRecord(ObjA, Le64(ObjB, 0), F(Field.Ptr(0))),
        new ObjectRecord(ObjB, Text("hello, world!\0\0\0"), F()),
        new ObjectRecord(ObjC, Le64(ObjA, 42, 0, 7), F(Field.Ptr(0), Field.Ptr(16))),
        Goroutine(G1, G1Sp, goid: 1, status: 4, reason: "chan receive", m: M0, topDefer: D1, topPanic: P1),
        new StackFrameRecord(G1Sp, 0, 0, Le64(0x2a, ObjA), 0x47e2a0, 0x47e2f4, 0x47e2f4, "main.main", F(Field.Ptr(8))),
        new StackFrameRecord(G1Frame1Sp, 1, G1Sp, Le64(0), 0x4367e0, 0x436a12, 0x436a12, "runtime.main", F()),
        new DeferRecord(D1, G1, G1Sp, 0x47e2e0, 0x4b9d68, 0x47e400, 0),
        new PanicRecord(P1, G1, TypeT, ObjB, 0, 0),
        Goroutine(G2, G2Sp, goid: 2, status: 4, reason: "force gc (idle)", system: true, waitSince: 1_000_000),
        new StackFrameRecord(G2Sp, 0, 0, GoString.Empty, 0x438e40, 0x438e76, 0x438e76, "runtime.gopark", F()),
        new OsThreadRecord(M0, 0, 31337),
        new DataRecord(DataStart, Le64(0, ObjC, 0, 0), F(Field.Ptr(8))),
        new BssRecord(BssStart, Le64(ObjA, 0), F(Field.Ptr(0))),
        new FinalizerRecord(ObjC, FinalizerFuncval, 0x47e500, TypeT, TypeT),
        new QueuedFinalizerRecord(ObjB, FinalizerFuncval, 0x47e500, TypeU, TypeU),
        MemStats(1, objects: 3, bytes: 64),
        new MemProfRecord(Bucket1, 32, Frames(new("main.main", "/src/main.go", 12), new("runtime.main", "/usr/lib/go/src/runtime/proc.go", 250)), 3, 1),
        new AllocSampleRecord(ObjC, Bucket1),
        EofRecord.Instance,
    ];

    internal static GoroutineRecord Goroutine(ulong address, ulong sp, ulong goid, ulong status, string reason, ulong m = 0,
        ulong topDefer = 0, ulong topPanic = 0, bool system = false, ulong waitSince = 0, ulong gopc = 0x43a1c5, ulong ctxt = 0) =>
        new(address, sp, goid, gopc, status, system, false, waitSince, reason, ctxt, m, topDefer, topPanic);

    /// <summary>
    /// A memstats record as readmemstats_m fills it for a heap of <paramref name="objects"/> objects holding
    /// <paramref name="bytes"/> bytes (the dumped objects' count and total length): Alloc = HeapAlloc = bytes,
    /// HeapObjects = Mallocs − Frees = objects, HeapSys = HeapInuse + HeapIdle, Sys the sum of the *Sys fields (V16–V19);
    /// <paramref name="numGc"/> GCs with their pauses in the ring.
    /// </summary>
    internal static MemStatsRecord MemStats(ulong numGc, ulong objects, ulong bytes)
    {
        const ulong frees = 38, freedBytes = frees * 16, heapSys = 3_833_856, heapInuse = 557_056, heapReleased = 3_244_032,
            stackInuse = 425_984, stackSys = 425_984, mspanInuse = 43_520, mspanSys = 48_960, mcacheInuse = 14_400, mcacheSys = 15_600,
            buckHashSys = 3_764, gcSys = 3_555_688, otherSys = 1_032_732;
        ulong[] scalars =
        [
            bytes, bytes + freedBytes, heapSys + stackSys + mspanSys + mcacheSys + buckHashSys + gcSys + otherSys, 0, objects + frees, frees,
            bytes, heapSys, heapSys - heapInuse, heapInuse, heapReleased, objects, stackInuse, stackSys, mspanInuse, mspanSys,
            mcacheInuse, mcacheSys, buckHashSys, gcSys, otherSys, 4_194_304, 1_700_000_000_123_456_789, 41_250,
        ];
        var pauses = new ulong[HeapDumpFormat.PauseNsCount];
        for (var i = 0; i < (int)Math.Min(numGc, (ulong)pauses.Length); i++)
        {
            pauses[i] = 41_250;
        }

        return new MemStatsRecord(scalars, pauses, numGc);
    }

    /// <summary>A memstats record with every value <paramref name="value"/> (the 10-byte-uvarint fixture; no runtime writes it).</summary>
    internal static MemStatsRecord FilledMemStats(ulong value)
    {
        var scalars = Enumerable.Repeat(value, MemStatsRecord.ScalarCount).ToArray();
        return new MemStatsRecord(scalars, Enumerable.Repeat(value, HeapDumpFormat.PauseNsCount).ToArray(), value);
    }

    /// <summary>Little-endian 64-bit words: the contents of memory on amd64.</summary>
    internal static GoString Le64(params ulong[] words) => Words(words, 8, bigEndian: false);

    internal static GoString Words(ulong[] words, int size, bool bigEndian)
    {
        var bytes = new byte[words.Length * size];
        for (var i = 0; i < words.Length; i++)
        {
            var slot = bytes.AsSpan(i * size, size);
            switch (size, bigEndian)
            {
                case (8, false): BinaryPrimitives.WriteUInt64LittleEndian(slot, words[i]); break;
                case (8, true): BinaryPrimitives.WriteUInt64BigEndian(slot, words[i]); break;
                case (4, false): BinaryPrimitives.WriteUInt32LittleEndian(slot, checked((uint)words[i])); break;
                default: BinaryPrimitives.WriteUInt32BigEndian(slot, checked((uint)words[i])); break;
            }
        }

        return new GoString(bytes);
    }

    internal static GoString Text(string s) => GoString.FromText(s);

    internal static GoString Bytes(params byte[] bytes) => new(bytes);

    /// <summary>A field list.</summary>
    internal static EquatableArray<Field> F(params Field[] fields) => fields;

    /// <summary>A memprof stack.</summary>
    internal static EquatableArray<MemProfFrame> Frames(params MemProfFrame[] frames) => frames;

    /// <summary>The baseline with record <paramref name="index"/> replaced.</summary>
    internal static List<HeapDumpRecord> Replace(int index, Func<HeapDumpRecord, HeapDumpRecord> change)
    {
        var records = Baseline();
        records[index] = change(records[index]);
        return records;
    }

    /// <summary>The baseline with <paramref name="record"/> inserted at <paramref name="index"/>.</summary>
    internal static List<HeapDumpRecord> Insert(int index, HeapDumpRecord record)
    {
        var records = Baseline();
        records.Insert(index, record);
        return records;
    }

    /// <summary>A diagnostic at a field of a record (its first byte; <c>tag</c> for a whole-record rule).</summary>
    internal static Func<IReadOnlyList<RecordLayout>, ExpectedDiagnostic> At(string rule, int record, string field) =>
        layout => new ExpectedDiagnostic(rule, layout[record][field].Offset);

    internal static string[] Tags(params string[] tags) => tags;

    private static RecordsFixture Rule(string name, string description, string[] exercises, List<HeapDumpRecord> records,
        ValidationProfile profile, params Func<IReadOnlyList<RecordLayout>, ExpectedDiagnostic>[] diagnostics) =>
        new(name, description, exercises, HeaderVersion.Go17, records, Profile: profile, Diagnostics: diagnostics);
}
