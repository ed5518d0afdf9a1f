using System.Collections.Immutable;
using GoHeapDump.Runtime;

namespace GoHeapDump.Reference.Tests;

/// <summary>Go: heapdump.go dumpms, dumproots (data, bss, finalizers, finalizer queue), dumpmemstats, dumpmemprof.</summary>
public class DumpRootsTests
{
    [Fact]
    public void Write_Threads_InAllmOrderWithSignExtendedId()
    {
        var state = new RuntimeState(Fixture.Amd64, threads: [new OsThread(0x5a0400, 0, 1234), new OsThread(0x10, -1, 0)]);
        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                Fixture.ParamsNoArenas,
                """
                09                             # os thread
                80 88 e8 02                    # address 0x5a0400
                00                             # id 0
                d2 09                          # procid 1234
                09 10
                ff ff ff ff ff ff ff ff ff 01  # id −1: uint64(int64)
                00
                """,
                Fixture.Tail),
            HeapDumpWriter.ToBytes(state));
    }

    [Fact]
    public void Write_DataAndBss_WithTheirPointerMasks()
    {
        var data = new ModuleSegment(0x5a0000, ImmutableArray.Create(Enumerable.Range(1, 24).Select(i => (byte)i).ToArray()), BitVector.Parse("101"));
        var bss = new ModuleSegment(0x5b0000, ImmutableArray.Create(new byte[16]), BitVector.Parse("01"));
        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                Fixture.ParamsNoArenas,
                """
                0c                             # data
                80 80 e8 02                    # 0x5a0000
                18 0102030405060708090a0b0c0d0e0f101112131415161718
                01 00 01 10                    # words 0 and 2
                00
                0d                             # bss
                80 80 ec 02                    # 0x5b0000
                10 00*16
                01 08                          # word 1
                00
                """,
                Fixture.ZeroMemStats,
                Fixture.Eof),
            HeapDumpWriter.ToBytes(new RuntimeState(Fixture.Amd64, data: data, bss: bss)));
    }

    [Fact]
    public void Write_FinalizersAndSamples_FromInUseSpanSpecialsOnly_ThenTheQueue()
    {
        var inUse = Fixture.Span(0xc000000000, 8192) with
        {
            Specials = [new FinalizerSpecial(16, new FuncVal(0x5000, 0x401300), 0x4a0000, 0x4a0040), new ProfileSpecial(16, 0x7000)],
        };
        var stack = new HeapSpan
        {
            Base = 0xc000002000, Pages = 1, State = SpanState.Manual,
            Specials = [new FinalizerSpecial(0, new FuncVal(0x5000, 0x401300), 1, 2), new ProfileSpecial(8, 0x7000)],
        };
        var state = new RuntimeState(
            Fixture.Amd64,
            arenas: [Fixture.Arena],
            spans: [inUse, stack],
            finalizerQueue: [new QueuedFinalizer(0xc000001000, new FuncVal(0x5100, 0x401300), 0x4a0080, 0x4a00c0)],
            memProfBuckets: [new MemProfBucket(0x7000, 64, [], 1, 0)]);

        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                Fixture.ParamsOneArena,
                "01 80 80 80 80 80 18 80 40 00*8192 00   # the span's one object",
                Fixture.EmptyRoots,
                """
                07                             # finalizer (registered)
                90 80 80 80 80 18              # object: span base + offset 16 = 0xc000000010
                80 a0 01                       # funcval 0x5000
                80 a6 80 02                    # fn.fn 0x401300
                80 80 a8 02                    # fint 0x4a0000
                c0 80 a8 02                    # ot 0x4a0040
                                               # the manual span's finalizer is not dumped
                0b                             # queued finalizer
                80 a0 80 80 80 18              # object 0xc000001000
                80 a2 01                       # funcval 0x5100
                80 a6 80 02                    # fn.fn 0x401300
                80 81 a8 02                    # fint 0x4a0080
                c0 81 a8 02                    # ot 0x4a00c0
                """,
                Fixture.ZeroMemStats,
                """
                10 80 e0 01 40 00 01 00        # memprof bucket 0x7000: size 64, no frames, 1 alloc, 0 frees
                11                             # alloc sample
                90 80 80 80 80 18              # object 0xc000000010
                80 e0 01                       # bucket 0x7000
                                               # the manual span's sample is not dumped
                """,
                Fixture.Eof),
            HeapDumpWriter.ToBytes(state));
    }

    [Fact]
    public void Write_MemStats_InDocumentedOrder()
    {
        var pause = new ulong[256];
        pause[0] = 300;
        pause[255] = 128;
        var m = new MemStats
        {
            Alloc = 1, TotalAlloc = 2, Sys = 3, Lookups = 4, Mallocs = 5, Frees = 6, HeapAlloc = 7, HeapSys = 8, HeapIdle = 9,
            HeapInuse = 10, HeapReleased = 11, HeapObjects = 12, StackInuse = 13, StackSys = 14, MSpanInuse = 15, MSpanSys = 16,
            MCacheInuse = 17, MCacheSys = 18, BuckHashSys = 19, GCSys = 20, OtherSys = 21, NextGC = 22, LastGC = 23, PauseTotalNs = 24,
            PauseNs = [.. pause], NumGC = uint.MaxValue,
        };
        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                Fixture.ParamsNoArenas,
                Fixture.EmptyRoots,
                """
                0a                             # memstats
                01 02 03 04 05 06              # Alloc TotalAlloc Sys Lookups Mallocs Frees
                07 08 09 0a 0b 0c              # HeapAlloc HeapSys HeapIdle HeapInuse HeapReleased HeapObjects
                0d 0e 0f 10 11 12              # StackInuse StackSys MSpanInuse MSpanSys MCacheInuse MCacheSys
                13 14 15 16 17 18              # BuckHashSys GCSys OtherSys NextGC LastGC PauseTotalNs
                ac 02                          # PauseNs[0] = 300
                00*254
                80 01                          # PauseNs[255] = 128
                ff ff ff ff 0f                 # NumGC 2^32 − 1
                """,
                Fixture.Eof),
            HeapDumpWriter.ToBytes(new RuntimeState(Fixture.Amd64, memStats: m)));
    }

    [Fact]
    public void Write_MemProfFrames_ResolvedUnresolvedAndThePcMinusOneRule()
    {
        FuncInfo[] symbols =
        [
            new() { Entry = 0x401000, End = 0x401100, Name = "main.alloc", Lines = PcTable.Of(new PcRun<SourceLine>(0x401010, new("/a.go", 10)), new PcRun<SourceLine>(0x401100, new("/a.go", 20))) },
            new() { Entry = 0x401100, End = 0x401200, Name = "main.nolines" },
            new() { Entry = 0x401200, End = 0x401300, Name = "main.neg", Lines = PcTable.Constant(0x401300UL, new SourceLine("/b.go", -2)) },
            new() { Entry = 0x401300, End = 0x401400, Name = "main.unknownline", Lines = PcTable.Constant(0x401400UL, new SourceLine("/c.go", -1)) },
            new() { Entry = 0x401400, End = 0x401500, Name = "main.nofile", Lines = PcTable.Constant(0x401500UL, new SourceLine(null, 5)) },
        ];
        var bucket = new MemProfBucket(0x7000, 32, [0x401010, 0x401010, 0x401000, 0x1a2b, 0, 0x401150, 0x401250, 0x401350, 0x401450, 0x401500], 5, 2);
        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                Fixture.ParamsNoArenas,
                Fixture.EmptyRoots,
                Fixture.ZeroMemStats,
                """
                10                             # memprof bucket
                80 e0 01                       # address 0x7000
                20                             # size 32
                0a                             # 10 frames
                0a "main.alloc" 05 "/a.go" 14  # [0] 0x401010, first frame: looked up at pc → line 20
                0a "main.alloc" 05 "/a.go" 0a  # [1] 0x401010 again: pc − 1 = 0x40100f → line 10
                0a "main.alloc" 05 "/a.go" 0a  # [2] the entry itself: no −1 (pc > entry is false) → line 10
                08 "(0x1a2b)" 01 "?" 00        # [3] no function: lowercase hex
                05 "(0x0)" 01 "?" 00           # [4] pc 0
                0c "main.nolines" 01 "?" 00    # [5] a function without a line table
                08 "main.neg" 05 "/b.go"
                fe ff ff ff ff ff ff ff ff 01  # [6] line −2: uint64(int32) sign-extends
                10 "main.unknownline" 01 "?" 00   # [7] line −1: "?", 0
                0b "main.nofile" 01 "?" 00     # [8] file index invalid: "?", 0
                0a "(0x401500)" 01 "?" 00      # [9] past the last function
                05                             # allocs
                02                             # frees
                """,
                Fixture.Eof),
            HeapDumpWriter.ToBytes(new RuntimeState(Fixture.Amd64, memProfBuckets: [bucket], functions: symbols)));
    }
}
