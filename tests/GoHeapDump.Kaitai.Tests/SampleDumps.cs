namespace GoHeapDump.Kaitai.Tests;

/// <summary>
/// Small hand-written dumps with one record of every kind, written field by field from the format
/// description, each with the records it must decode to (built by hand, not by a parser).
/// </summary>
internal static class SampleDumps
{
    /// <summary>A go1.7 dump (params carry the architecture as a string) with every record kind once.</summary>
    public static DumpBuilder EveryKindGo17() => EveryKind("go1.7");

    /// <summary>The same dump with a go1.5 header (params carry the uvarint thechar).</summary>
    public static DumpBuilder EveryKindGo15() => EveryKind("go1.5");

    private static DumpBuilder EveryKind(string version)
    {
        var b = new DumpBuilder().Header(version);

        b.Record(RecordKind.Params, "params_record")
            .Bool(0, false).U(1, 8).U(2, 0xc000000000).U(3, 0xc004000000);
        if (version == "go1.7")
        {
            b.Str(4, "amd64").Str(6, "go1.19.8").U(7, 4)
                .Expect(ParamsRecord.WithArch(false, 8, 0xc000000000, 0xc004000000, "amd64", "go1.19.8", 4));
        }
        else
        {
            b.U(5, '6').Str(6, "").U(7, 4)
                .Expect(ParamsRecord.WithTheChar(false, 8, 0xc000000000, 0xc004000000, '6', "", 4));
        }

        b.Record(RecordKind.Type, "type_record")
            .U(0, 0x4a0000).U(1, 16).Str(2, "main.T").Bool(3, true)
            .Expect(new TypeRecord(0x4a0000, 16, "main.T", true));

        b.Record(RecordKind.Itab, "itab_record")
            .U(0, 0x4b0000).U(1, 0x4a0000)
            .Expect(new ItabRecord(0x4b0000, 0x4a0000));

        byte[] objectContents = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
        b.Record(RecordKind.Object, "object_record")
            .U(0, 0xc000010000).Bytes(1, objectContents).Fields(2, (FieldKind.Ptr, 0), (FieldKind.Ptr, 8))
            .Expect(new ObjectRecord(0xc000010000, new GoString([.. objectContents]), new[] { Field.Ptr(0), Field.Ptr(8) }));

        b.Record(RecordKind.Goroutine, "goroutine_record")
            .U(0, 0xc000001000).U(1, 0xc000100f00).U(2, 1).U(3, 0x401000).U(4, 4).Bool(5, false).Bool(6, false)
            .U(7, 0).Str(8, "chan receive").U(9, 0).U(10, 0).U(11, 0xc000100e00).U(12, 0xc000100d00)
            .Expect(new GoroutineRecord(0xc000001000, 0xc000100f00, 1, 0x401000, 4, false, false, 0, "chan receive", 0, 0, 0xc000100e00, 0xc000100d00));

        byte[] frameContents = [0xaa, 0xbb, 0xcc, 0xdd, 0, 0, 0, 0];
        b.Record(RecordKind.StackFrame, "stack_frame_record")
            .U(0, 0xc000100f00).U(1, 0).U(2, 0).Bytes(3, frameContents).U(4, 0x401000).U(5, 0x401020).U(6, 0x401020)
            .Str(7, "main.main").Fields(8, (FieldKind.Ptr, 0))
            .Expect(new StackFrameRecord(0xc000100f00, 0, 0, new GoString([.. frameContents]), 0x401000, 0x401020, 0x401020, "main.main", new[] { Field.Ptr(0) }));

        b.Record(RecordKind.Defer, "defer_record")
            .U(0, 0xc000100e00).U(1, 0xc000001000).U(2, 0xc000100f00).U(3, 0x401030).U(4, 0x4c0000).U(5, 0x402000).U(6, 0)
            .Expect(new DeferRecord(0xc000100e00, 0xc000001000, 0xc000100f00, 0x401030, 0x4c0000, 0x402000, 0));

        b.Record(RecordKind.Panic, "panic_record")
            .U(0, 0xc000100d00).U(1, 0xc000001000).U(2, 0x4a0000).U(3, 0xc000010000).U(4, 0).U(5, 0)
            .Expect(new PanicRecord(0xc000100d00, 0xc000001000, 0x4a0000, 0xc000010000, 0, 0));

        b.Record(RecordKind.OsThread, "os_thread_record")
            .U(0, 0x5a0000).U(1, 0).U(2, 12345)
            .Expect(new OsThreadRecord(0x5a0000, 0, 12345));

        byte[] dataContents = [0x10, 0, 0, 0, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0, 0, 0];
        b.Record(RecordKind.Data, "data_record")
            .U(0, 0x500000).Bytes(1, dataContents).Fields(2, (FieldKind.Ptr, 0), (FieldKind.Eface, 8))
            .Expect(new DataRecord(0x500000, new GoString([.. dataContents]), new[] { Field.Ptr(0), new Field(FieldKind.Eface, 8) }));

        b.Record(RecordKind.Bss, "bss_record")
            .U(0, 0x510000).Bytes(1, []).Fields(2)
            .Expect(new BssRecord(0x510000, GoString.Empty, Array.Empty<Field>()));

        b.Record(RecordKind.Finalizer, "finalizer_record")
            .U(0, 0xc000010000).U(1, 0x4c0010).U(2, 0x403000).U(3, 0x4a0000).U(4, 0x4a0100)
            .Expect(new FinalizerRecord(0xc000010000, 0x4c0010, 0x403000, 0x4a0000, 0x4a0100));

        b.Record(RecordKind.QueuedFinalizer, "queued_finalizer_record")
            .U(0, 0xc000020000).U(1, 0x4c0020).U(2, 0x404000).U(3, 0x4a0000).U(4, 0x4a0100)
            .Expect(new QueuedFinalizerRecord(0xc000020000, 0x4c0020, 0x404000, 0x4a0000, 0x4a0100));

        b.Record(RecordKind.OtherRoot, "other_root_record")
            .Str(0, "legacy root").U(1, 0xc000010000)
            .Expect(new OtherRootRecord("legacy root", 0xc000010000));

        // memstats: scalars 1..24 in wire order, PauseNs[0] = 1000 (two bytes), the rest 0, NumGC 1.
        b.Record(RecordKind.MemStats, "mem_stats_record");
        var scalars = new ulong[24];
        for (var i = 0; i < 24; i++)
        {
            scalars[i] = (ulong)(i + 1);
            b.U(i, scalars[i]);
        }

        var pauses = new ulong[256];
        pauses[0] = 1000;
        foreach (var pause in pauses)
        {
            b.U(24, pause);
        }

        b.U(25, 1).Expect(new MemStatsRecord(scalars, pauses, 1));

        b.Record(RecordKind.MemProf, "mem_prof_record")
            .U(0, 0x600000).U(1, 16).U(2, 2)
            .Frame("main.alloc", "/src/main.go", 10)
            .Frame("(0x0)", "?", 0)
            .U(4, 3).U(5, 1)
            .Expect(new MemProfRecord(0x600000, 16, new[] { new MemProfFrame("main.alloc", "/src/main.go", 10), new MemProfFrame("(0x0)", "?", 0) }, 3, 1));

        b.Record(RecordKind.AllocSample, "alloc_sample_record")
            .U(0, 0xc000010000).U(1, 0x600000)
            .Expect(new AllocSampleRecord(0xc000010000, 0x600000));

        b.Record(RecordKind.Eof, "eof_record").Expect(EofRecord.Instance);
        return b;
    }
}
