using GoHeapDump.Runtime;

namespace GoHeapDump.Reference.Tests;

/// <summary>Go: heapdump.go mdump: the order of the steps, the final flush, and what a failure leaves behind.</summary>
public class HeapDumpWriterTests
{
    /// <summary>Null arguments fail at the door with the parameter's name, not later inside the dump.</summary>
    [Fact]
    public void PublicEntryPoints_NullArguments_ThrowArgumentNullException()
    {
        var state = new RuntimeState(Fixture.Amd64);
        var sink = new StreamDumpSink(Stream.Null);
        Assert.Equal("state", Assert.Throws<ArgumentNullException>(() => HeapDumpWriter.Write(null!, sink)).ParamName);
        Assert.Equal("sink", Assert.Throws<ArgumentNullException>(() => HeapDumpWriter.Write(state, (DumpSink)null!)).ParamName);
        Assert.Equal("state", Assert.Throws<ArgumentNullException>(() => HeapDumpWriter.WriteFile(null!, Path.Combine(Path.GetTempPath(), "never-written.dump"))).ParamName);
        Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => new StreamDumpSink(null!)).ParamName);
        Assert.Equal("sink", Assert.Throws<ArgumentNullException>(() => new DumpBuffer(null!)).ParamName);
    }

    [Fact]
    public void Write_EmptyState_OneWriteAtTheFinalFlush()
    {
        var sink = Fixture.Record(new RuntimeState(Fixture.Amd64));
        Assert.Equal([16 + 21 + 291], sink.CallLengths);
        Bytes.Equal(Fixture.Hex(Fixture.Header, Fixture.ParamsNoArenas, Fixture.Tail), sink.ToArray());
    }

    [Fact]
    public void Write_OneOfEachStep_InRuntimeOrder()
    {
        var t = new RuntimeType { Address = 0x10, Str = "int", Size = 8, DirectIface = true };
        var state = new RuntimeState(
            Fixture.Amd64,
            arenas: [Fixture.Arena],
            spans: [Fixture.Span(0xc000000000, 8192)],
            types: [t],
            itabs: [new Itab(0x20, t)],
            goroutines: [new Goroutine { Address = 0x30, Status = GoroutineStatus.Runnable, Goid = 1 }],
            threads: [new OsThread(0x40, 0, 5)],
            finalizerQueue: [new QueuedFinalizer(0x50, new FuncVal(0x60, 0x70), 0, 0)],
            memProfBuckets: [new MemProfBucket(0x80, 8, [], 1, 1)]);

        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                Fixture.ParamsOneArena,
                """
                03 10 08 03 "int" 00                     # dumpitabs: type
                08 20 10                                 # … itab
                01 80 80 80 80 80 18 80 40 00*8192 00    # dumpobjs
                04 30 00 01 00 01 00 00 00 00 00 00 00 00   # dumpgs: goroutine 0x30, goid 1, runnable
                09 40 00 05                              # dumpms
                0c 00 00 00 0d 00 00 00                  # dumproots: data, bss
                0b 50 60 70 00 00                        # … queued finalizer
                """,
                Fixture.ZeroMemStats,
                """
                10 80 01 08 00 01 01                     # dumpmemprof: bucket 0x80
                00                                       # EOF
                """),
            HeapDumpWriter.ToBytes(state));
    }

    [Fact]
    public void Write_SameState_SameBytes()
    {
        var state = StateBuilder.Build(3, 2000, "ppc64");
        Assert.Equal(HeapDumpWriter.ToBytes(state), HeapDumpWriter.ToBytes(state));
    }

    [Fact]
    public void Write_SinkFails_ExceptionPropagates()
    {
        var sink = new FailingSink(failOnCall: 2);
        var state = new RuntimeState(Fixture.Amd64, arenas: [Fixture.Arena], spans: [Fixture.Span(0xc000000000, 8192)]);
        Assert.Throws<IOException>(() => HeapDumpWriter.Write(state, sink));
        Assert.Equal(1, sink.Completed);
    }

    [Fact]
    public void WriteFile_Success_ReplacesTheFileAndLeavesNoTemporary()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "dump.bin");
        File.WriteAllText(path, "old");

        HeapDumpWriter.WriteFile(new RuntimeState(Fixture.Amd64), path);

        Bytes.Equal(Fixture.Hex(Fixture.Header, Fixture.ParamsNoArenas, Fixture.Tail), File.ReadAllBytes(path));
        Assert.Equal(["dump.bin"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void WriteFile_RuntimeWouldThrow_PreviousFileIntactNoTemporary()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "dump.bin");
        File.WriteAllText(path, "old");

        // A large object is written out before the bad goroutine: a partial dump reached the temporary file.
        var state = new RuntimeState(
            Fixture.Amd64,
            arenas: [Fixture.Arena],
            spans: [Fixture.Span(0xc000000000, 8192)],
            goroutines: [new Goroutine { Address = 0x30, Status = GoroutineStatus.Running }]);
        Assert.Throws<InvalidRuntimeStateException>(() => HeapDumpWriter.WriteFile(state, path));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["dump.bin"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void WriteFile_NoPreviousFileAndFailure_NoFileAtAll()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "dump.bin");
        var state = new RuntimeState(Fixture.Amd64, goroutines: [new Goroutine { Address = 0x30, Status = 0 }]);
        Assert.Throws<InvalidRuntimeStateException>(() => HeapDumpWriter.WriteFile(state, path));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void AtomicFile_CallbackThrowsIOException_NoTemporaryLeft()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "out.bin");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[100]);
            throw new IOException("disk full");
        }));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    private sealed class FailingSink(int failOnCall) : DumpSink
    {
        public int Completed { get; private set; }

        public override void Write(ReadOnlySpan<byte> data)
        {
            if (Completed + 1 == failOnCall)
            {
                throw new IOException("injected write failure");
            }

            Completed++;
        }
    }

    private sealed class TempDirectory : IDisposable
    {
        public TempDirectory() => Directory.CreateDirectory(Path);

        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "goheapdump-tests-" + Guid.NewGuid().ToString("N"));

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
