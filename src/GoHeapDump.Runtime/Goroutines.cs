using System.Collections.Immutable;

namespace GoHeapDump.Runtime;

/// <summary>
/// A goroutine, in allgs order. Go: runtime/runtime2.go g. Its stack is given as the frames a traceback
/// (runtime/traceback.go gentraceback with the dump's callback) would visit, innermost first.
/// </summary>
public sealed record Goroutine
{
    /// <summary>Address of the g.</summary>
    public required ulong Address { get; init; }

    /// <summary>readgstatus(gp): any value; only runnable (1), syscall (3) and waiting (4) are dumped, dead (6) is skipped and anything else makes the runtime throw.</summary>
    public required uint Status { get; init; }

    /// <summary>Go: g.goid (int64).</summary>
    public long Goid { get; init; }

    /// <summary>Go: g.gopc, the PC of the go statement.</summary>
    public ulong Gopc { get; init; }

    /// <summary>Go: isSystemGoroutine(gp, false).</summary>
    public bool IsSystem { get; init; }

    /// <summary>Go: g.waitsince (int64).</summary>
    public long WaitSince { get; init; }

    /// <summary>Go: g.waitreason (uint8), an index into the state's wait-reason strings.</summary>
    public byte WaitReason { get; init; }

    /// <summary>Go: g.sched.sp.</summary>
    public ulong SchedSp { get; init; }

    /// <summary>Go: g.sched.pc.</summary>
    public ulong SchedPc { get; init; }

    /// <summary>Go: g.sched.lr (LR architectures; input to the traceback only).</summary>
    public ulong SchedLr { get; init; }

    /// <summary>Go: g.sched.ctxt.</summary>
    public ulong SchedCtxt { get; init; }

    /// <summary>Go: g.syscallsp; when non-zero, the traceback starts at syscallsp/syscallpc.</summary>
    public ulong SyscallSp { get; init; }

    /// <summary>Go: g.syscallpc.</summary>
    public ulong SyscallPc { get; init; }

    /// <summary>Go: g.m, the address of its M, or 0.</summary>
    public ulong M { get; init; }

    /// <summary>The frames the traceback visits, innermost (depth 0) first.</summary>
    public ImmutableArray<StackFrame> Frames { get; init; } = [];

    /// <summary>The defer chain from g._defer, following link.</summary>
    public ImmutableArray<Defer> Defers { get; init; } = [];

    /// <summary>The panic chain from g._panic, following link.</summary>
    public ImmutableArray<Panic> Panics { get; init; } = [];

    /// <summary>The sp the traceback starts from: syscallsp when non-zero, else sched.sp. Go: dumpgoroutine.</summary>
    public ulong TracebackSp => SyscallSp != 0 ? SyscallSp : SchedSp;

    /// <summary>The pc the traceback starts from: syscallpc when syscallsp is non-zero, else sched.pc.</summary>
    public ulong TracebackPc => SyscallSp != 0 ? SyscallPc : SchedPc;

    public override string ToString() => RuntimeStateFormatter.DescribeHeader(this);
}

/// <summary>
/// A frame as gentraceback hands it to its callback. Go: runtime/stkframe (runtime2.go stkframe): fn, pc,
/// continpc, sp, fp, varp, argp, arglen. The frame's memory is [Sp, Fp).
/// </summary>
public sealed record StackFrame
{
    /// <summary>The function (Go: frame.fn = findfunc(pc)); null when the PC does not resolve, which makes the runtime throw.</summary>
    public FuncInfo? Function { get; init; }

    /// <summary>Go: frame.pc; for callers, the return address.</summary>
    public ulong Pc { get; init; }

    /// <summary>Go: frame.continpc, where execution continues (pc, a deferreturn site, or 0 after a panic).</summary>
    public ulong ContinuationPc { get; init; }

    /// <summary>Go: frame.sp, lowest address of the frame.</summary>
    public required ulong Sp { get; init; }

    /// <summary>Go: frame.fp, the caller's sp: the frame is [Sp, Fp).</summary>
    public required ulong Fp { get; init; }

    /// <summary>Go: frame.varp, top of the locals (fp, minus the return address on x86, minus the saved frame pointer on amd64/arm64).</summary>
    public required ulong Varp { get; init; }

    /// <summary>Go: frame.argp = fp + MinFrameSize, where the frame's incoming arguments start.</summary>
    public required ulong Argp { get; init; }

    /// <summary>Go: frame.arglen, bytes of incoming arguments (in the caller's frame).</summary>
    public ulong ArgLen { get; init; }

    /// <summary>The frame's bytes, [Sp, Fp).</summary>
    public ImmutableArray<byte> Contents { get; init; } = [];

    public override string ToString() =>
        $"frame {(Function is null ? "<no function>" : $"\"{Function.Name}\"")} pc=0x{Pc:x} continpc=0x{ContinuationPc:x} " +
        $"sp=0x{Sp:x} fp=0x{Fp:x} varp=0x{Varp:x} argp=0x{Argp:x} arglen={ArgLen} contents={RuntimeStateFormatter.Hex(Contents.AsSpan(), 64)}";
}

/// <summary>A defer record. Go: runtime/runtime2.go _defer. Its link is the next defer of the chain (0 for the last).</summary>
/// <param name="Address">Address of the _defer.</param>
/// <param name="Sp">Go: _defer.sp.</param>
/// <param name="Pc">Go: _defer.pc.</param>
/// <param name="Fn">Go: _defer.fn; null for an open-coded defer (written as funcval 0 and pc 0).</param>
public sealed record Defer(ulong Address, ulong Sp, ulong Pc, FuncVal? Fn)
{
    public override string ToString() => $"defer 0x{Address:x} sp=0x{Sp:x} pc=0x{Pc:x} fn={(Fn is null ? "nil (open-coded)" : Fn.ToString())}";
}

/// <summary>A panic record. Go: runtime/runtime2.go _panic. Its link is the next panic of the chain (0 for the last).</summary>
/// <param name="Address">Address of the _panic.</param>
/// <param name="ArgType">Type word of the panic argument (eface._type).</param>
/// <param name="ArgData">Data word of the panic argument (eface.data).</param>
public sealed record Panic(ulong Address, ulong ArgType, ulong ArgData)
{
    public override string ToString() => $"panic 0x{Address:x} arg=(0x{ArgType:x}, 0x{ArgData:x})";
}

/// <summary>An M (OS thread), in allm order. Go: runtime/runtime2.go m.</summary>
/// <param name="Address">Address of the m.</param>
/// <param name="Id">Go: m.id (int64).</param>
/// <param name="ProcId">Go: m.procid, the OS thread id.</param>
public sealed record OsThread(ulong Address, long Id, ulong ProcId)
{
    public override string ToString() => $"m 0x{Address:x} id={Id} procid={ProcId}";
}

/// <summary>The first module's data or bss segment. Go: runtime/symtab.go moduledata data/edata, gcdatamask (bss/ebss, gcbssmask).</summary>
/// <param name="Address">Start of the segment.</param>
/// <param name="Contents">Its bytes.</param>
/// <param name="PointerMask">One bit per word (Contents.Length / PtrSize bits): set when the word holds a pointer.</param>
public sealed record ModuleSegment(ulong Address, ImmutableArray<byte> Contents, BitVector PointerMask)
{
    /// <summary>An empty segment at address 0.</summary>
    public static ModuleSegment Empty { get; } = new(0, [], BitVector.Empty);

    public override string ToString() => $"0x{Address:x} {Contents.Length}B mask={PointerMask} contents={RuntimeStateFormatter.Hex(Contents.AsSpan(), 64)}";
}

/// <summary>A finalizer queued to run, in iterate_finq order. Go: runtime/mfinal.go finalizer.</summary>
/// <param name="Object">Go: finalizer.arg, the object.</param>
/// <param name="Fn">Go: finalizer.fn.</param>
/// <param name="ArgType">Go: finalizer.fint.</param>
/// <param name="ObjectType">Go: finalizer.ot.</param>
public sealed record QueuedFinalizer(ulong Object, FuncVal Fn, ulong ArgType, ulong ObjectType)
{
    public override string ToString() => $"queued finalizer obj=0x{Object:x} {Fn} fint=0x{ArgType:x} ot=0x{ObjectType:x}";
}

/// <summary>A memory-profile bucket, in iterate_memprof order. Go: runtime/mprof.go bucket (memRecord.active).</summary>
/// <param name="Address">Address of the bucket.</param>
/// <param name="Size">Go: bucket.size.</param>
/// <param name="Stack">Go: bucket.stk(): return PCs, innermost first.</param>
/// <param name="Allocs">Go: mp.active.allocs (uintptr).</param>
/// <param name="Frees">Go: mp.active.frees (uintptr).</param>
public sealed record MemProfBucket(ulong Address, ulong Size, ImmutableArray<ulong> Stack, ulong Allocs, ulong Frees)
{
    public override string ToString() =>
        $"bucket 0x{Address:x} size={Size} stack=[{string.Join(" ", Stack.Select(pc => $"0x{pc:x}"))}] allocs={Allocs} frees={Frees}";
}
