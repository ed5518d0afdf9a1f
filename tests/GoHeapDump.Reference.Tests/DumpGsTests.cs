using GoHeapDump.Runtime;

namespace GoHeapDump.Reference.Tests;

/// <summary>Go: heapdump.go dumpgs and dumpgoroutine (the goroutine record, defers, panics).</summary>
public class DumpGsTests
{
    private static Goroutine G(uint status = GoroutineStatus.Waiting) => new()
    {
        Address = 0xc000001a00,
        Status = status,
        Goid = 7,
        Gopc = 0x401234,
        IsSystem = true,
        WaitSince = 1000,
        WaitReason = 14, // "chan receive"
        SchedSp = 0xc000100f00,
    };

    private static byte[] Dump(params Goroutine[] goroutines) => HeapDumpWriter.ToBytes(new RuntimeState(Fixture.Amd64, goroutines: goroutines));

    private const string WaitingRecord = """
        04                     # goroutine
        80 b4 80 80 80 18      # address 0xc000001a00
        80 9e c0 80 80 18      # sp 0xc000100f00 (sched.sp)
        07                     # goid
        b4 a4 80 02            # gopc 0x401234
        04                     # status: waiting
        01                     # system goroutine
        00                     # isbackground: always false
        e8 07                  # waitsince 1000
        0c "chan receive"      # wait reason 14
        00                     # sched.ctxt
        00                     # m
        00                     # top defer
        00                     # top panic
        """;

    [Fact]
    public void Write_WaitingGoroutine_AllFields() =>
        Bytes.Equal(Fixture.Hex(Fixture.Header, Fixture.ParamsNoArenas, WaitingRecord, Fixture.Tail), Dump(G()));

    [Fact]
    public void Write_DeadGoroutine_Skipped() =>
        Bytes.Equal(
            Fixture.Hex(Fixture.Header, Fixture.ParamsNoArenas, WaitingRecord, Fixture.Tail),
            Dump(G(GoroutineStatus.Dead) with { Address = 0x10 }, G(), G(GoroutineStatus.Dead) with { Address = 0x20 }));

    [Theory]
    [InlineData(GoroutineStatus.Syscall, "03")]
    [InlineData(GoroutineStatus.Waiting, "04")] // syscallsp decides, not the status
    public void Write_SyscallSpSet_GoroutineSpIsSyscallSp(uint status, string statusHex)
    {
        var g = G(status) with { SyscallSp = 0xc000100e00, SyscallPc = 0x401500, WaitReason = 0, WaitSince = 0, IsSystem = false, SchedCtxt = 0x5000, M = 0x6000 };
        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                Fixture.ParamsNoArenas,
                $"""
                04 80 b4 80 80 80 18
                80 9c c0 80 80 18      # sp 0xc000100e00: syscallsp, not sched.sp
                07 b4 a4 80 02
                {statusHex}
                00 00 00
                00                     # wait reason 0: ""
                80 a0 01               # sched.ctxt 0x5000
                80 c0 01               # m 0x6000
                00 00
                """,
                Fixture.Tail),
            Dump(g));
    }

    [Theory]
    [InlineData((byte)27)] // one past Go 1.19's 27 strings
    [InlineData((byte)255)]
    public void Write_WaitReasonPastTable_UnknownWaitReason(byte reason)
    {
        var bytes = Dump(G() with { WaitReason = reason });
        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                Fixture.ParamsNoArenas,
                """
                04 80 b4 80 80 80 18 80 9e c0 80 80 18 07 b4 a4 80 02 04 01 00 e8 07
                13 "unknown wait reason"
                00 00 00 00
                """,
                Fixture.Tail),
            bytes);
    }

    [Fact]
    public void Write_CustomWaitReasonTable_IndexesIt()
    {
        var state = new RuntimeState(Fixture.Amd64, goroutines: [G() with { WaitReason = 1 }, G() with { Address = 0x10, WaitReason = 2 }], waitReasonStrings: ["", "x"]);
        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                Fixture.ParamsNoArenas,
                """
                04 80 b4 80 80 80 18 80 9e c0 80 80 18 07 b4 a4 80 02 04 01 00 e8 07
                01 "x"                           # index 1 of the table
                00 00 00 00
                04 10 80 9e c0 80 80 18 07 b4 a4 80 02 04 01 00 e8 07
                13 "unknown wait reason"         # index 2: past the table
                00 00 00 00
                """,
                Fixture.Tail),
            HeapDumpWriter.ToBytes(state));
    }

    [Theory]
    [InlineData(GoroutineStatus.Idle, "0x0")]
    [InlineData(GoroutineStatus.Running, "0x2")]
    [InlineData(5u, "0x5")]
    [InlineData(GoroutineStatus.CopyStack, "0x8")]
    [InlineData(GoroutineStatus.Preempted, "0x9")]
    [InlineData(GoroutineStatus.ScanBit | GoroutineStatus.Waiting, "0x1004")]
    public void Write_UndumpableStatus_ThrowsLikeTheRuntime(uint status, string hex)
    {
        var sink = new RecordingDumpSink();
        var state = new RuntimeState(Fixture.Amd64, goroutines: [G(), G(status) with { Address = 0x10 }]);

        var e = Assert.Throws<InvalidRuntimeStateException>(() => HeapDumpWriter.Write(state, sink));

        Assert.Equal("dumpgs in STW - bad status", e.GoThrow);
        Assert.Equal($"runtime: unexpected G.status {hex}", e.RuntimePrint);
        Assert.Empty(sink.CallLengths); // everything so far was still in the buffer when the runtime died
        Assert.Equal(0, e.BytesWritten);
    }

    [Fact]
    public void Write_DeferChain_OpenCodedDeferHasZeroFuncvalAndEntry()
    {
        var g = new Goroutine
        {
            Address = 0x2000,
            Status = GoroutineStatus.Runnable,
            Goid = 1,
            SchedSp = 0x3000,
            Defers =
            [
                new Defer(0x1000, 0x3000, 0x401010, new FuncVal(0x5000, 0x401300)),
                new Defer(0x1100, 0x3000, 0, null),
            ],
        };
        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                Fixture.ParamsNoArenas,
                """
                04 80 40 80 60 01 00 01 00 00 00 00 00 00
                80 20                  # top defer 0x1000
                00                     # top panic
                0e                     # defer
                80 20                  # address 0x1000
                80 40                  # goroutine 0x2000
                80 60                  # sp 0x3000
                90 a0 80 02            # pc 0x401010
                80 a0 01               # funcval 0x5000
                80 a6 80 02            # fn.fn 0x401300
                80 22                  # link: 0x1100
                0e
                80 22                  # address 0x1100
                80 40
                80 60
                00                     # pc 0
                00                     # open-coded: no funcval
                00                     # … and no entry PC
                00                     # link: end of chain
                """,
                Fixture.Tail),
            Dump(g));
    }

    [Fact]
    public void Write_NestedPanics_DeferFieldIsZero()
    {
        var g = new Goroutine
        {
            Address = 0x2000,
            Status = GoroutineStatus.Waiting,
            Goid = 1,
            SchedSp = 0x3000,
            Panics = [new Panic(0x1200, 0x4a0000, 0x6000), new Panic(0x1300, 0, 0)],
        };
        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                Fixture.ParamsNoArenas,
                """
                04 80 40 80 60 01 00 04 00 00 00 00 00 00 00
                80 24                  # top panic 0x1200
                0f                     # panic
                80 24                  # address 0x1200
                80 40                  # goroutine
                80 80 a8 02            # arg type 0x4a0000
                80 c0 01               # arg data 0x6000
                00                     # "was p->defer, no longer recorded"
                80 26                  # link 0x1300
                0f 80 26 80 40 00 00 00 00   # the outer panic: nil arg, no link
                """,
                Fixture.Tail),
            Dump(g));
    }
}
