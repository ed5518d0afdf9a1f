using System.Collections.Immutable;
using GoHeapDump.Runtime;

namespace GoHeapDump.Reference;

public static partial class StateBuilder
{
    /// <summary>The state generator: goroutines, their frames, defers and panics.</summary>
    private sealed partial class Generator
    {
        private List<Goroutine> BuildGoroutines(List<PlannedSpan> stacks)
        {
            if (_realistic)
            {
                return BuildReleaseGoroutines(stacks);
            }

            var result = new List<Goroutine>(stacks.Count + 2);
            uint[] statuses = [GoroutineStatus.Waiting, GoroutineStatus.Runnable, GoroutineStatus.Syscall, GoroutineStatus.Waiting, GoroutineStatus.Dead];
            long goid = 1;
            for (var i = 0; i < stacks.Count; i++)
            {
                var status = i < statuses.Length ? statuses[i] : _rng.Chance(0.15) ? GoroutineStatus.Dead : statuses[_rng.Next(4)];
                var gAddress = _persistentBase + 0x40000 + ((ulong)i * 0x1a0); // g structs are never freed
                result.Add(BuildGoroutine(gAddress, goid, status, stacks[i], i));
                goid += 1 + _rng.Next(3);
            }

            return result;
        }

        /// <summary>
        /// The goroutines of a process of the release, in allgs order: main, which writes the dump (from Go 1.21 it waits
        /// with the reason "dumping heap"; before, writeheapdump_m set that reason on g0 and main kept its last park's
        /// reason); the runtime's forcegc, sweeper, scavenger, finalizer goroutine and one GC worker per CPU, parked with
        /// their reasons and counted as system goroutines; then the program's: one in a system call, one runnable, one
        /// parked inside a deferred call while a panic runs it, the rest parked (or dead) for the usual reasons.
        /// </summary>
        private List<Goroutine> BuildReleaseGoroutines(List<PlannedSpan> stacks)
        {
            var table = GoRuntime.WaitReasonStrings(_release);
            byte Reason(string text) => (byte)table.IndexOf((GoString)text);
            string[] userReasons = ["chan receive", "chan send", "select", "sleep", "IO wait", "sync.Cond.Wait", "semacquire", "select (no cases)"];
            var roles = new List<(uint Status, string Reason, bool System)>
            {
                (GoroutineStatus.Waiting, _release.IsAtLeast(1, 21) ? "dumping heap" : "chan receive", false),
                (GoroutineStatus.Waiting, "force gc (idle)", true),
                (GoroutineStatus.Waiting, "GC sweep wait", true),
                (GoroutineStatus.Waiting, "GC scavenge wait", true),
                (GoroutineStatus.Waiting, "finalizer wait", true),
            };
            for (var i = 0; i < _ncpu; i++)
            {
                roles.Add((GoroutineStatus.Waiting, "GC worker (idle)", true));
            }

            roles.Add((GoroutineStatus.Syscall, "", false));
            roles.Add((GoroutineStatus.Runnable, "", false));
            var panicking = roles.Count;
            roles.Add((GoroutineStatus.Waiting, "chan receive", false));
            while (roles.Count < stacks.Count)
            {
                roles.Add(_rng.Chance(0.15) ? (GoroutineStatus.Dead, "", false) : (GoroutineStatus.Waiting, _rng.Pick(userReasons), false));
            }

            var result = new List<Goroutine>(roles.Count);
            long goid = 1;
            for (var i = 0; i < roles.Count; i++)
            {
                var (status, reason, system) = roles[i];
                var gAddress = _persistentBase + 0x40000 + ((ulong)i * 0x1a0);
                var g = BuildGoroutine(gAddress, goid, status, stacks[i], i == 0 ? 0 : 100 + i);
                if (status != GoroutineStatus.Dead)
                {
                    g = g with
                    {
                        WaitReason = status == GoroutineStatus.Waiting ? Reason(reason) : (byte)0,
                        IsSystem = system,
                        WaitSince = status == GoroutineStatus.Waiting ? g.WaitSince : 0,
                        Panics = [],
                    };
                }

                if (i == panicking)
                {
                    g = Panicking(g, stacks[i]);
                }

                result.Add(g);
                goid += 1 + _rng.Next(3);
            }

            return result;
        }

        /// <summary>
        /// A goroutine parked inside its third deferred call while a panic runs its defers. Before Go 1.22 each executed
        /// defer statement keeps its record until its call returns: the two started ones (newest first) and the two pending;
        /// from 1.22 (runtime/panic.go: the panic pops a record before calling it) only the two pending ones remain.
        /// </summary>
        private Goroutine Panicking(Goroutine g, PlannedSpan stack)
        {
            var frames = g.Frames;
            var stringType = _types.Find(t => t.Str == "string")!;
            var defers = new List<Defer>();
            var count = _release.IsAtLeast(1, 22) ? 2 : 4;
            for (var d = 0; d < count; d++)
            {
                var frame = frames[Math.Min(frames.Length - 1, 1 + d / 2)];
                defers.Add(new Defer(
                    stack.Base + 0x100 + (ulong)(0x30 * d),
                    frame.Sp,
                    PcIn(frame.Function!, false),
                    new FuncVal(_dataBase + (ulong)(_ptr * (8 + d)), Function("main.main.func1").Entry)));
            }

            return g with { Defers = [.. defers], Panics = [new Panic(stack.Base + 0x40, stringType.Address, RandomPointerValue())] };
        }

        private Goroutine BuildGoroutine(ulong address, long goid, uint status, PlannedSpan stack, int index)
        {
            var gopcFn = Function(index == 0 ? "runtime.main" : "main.main");
            if (status == GoroutineStatus.Dead)
            {
                return new Goroutine { Address = address, Status = status, Goid = goid, Gopc = PcIn(gopcFn, false) };
            }

            // Innermost function by state; middle frames from the pool; runtime.goexit at the top.
            var inner = status switch
            {
                GoroutineStatus.Syscall => Function("syscall.Syscall"),
                GoroutineStatus.Waiting => Function(_rng.Chance(0.5) ? "runtime.gopark" : "runtime.goparkunlock"),
                _ => Function(_rng.Pick(["main.worker", "main.process", "runtime.mallocgc", "main.(*Node).Insert"])),
            };
            var depth = _rng.Next(1, 9);
            var chain = new List<FuncInfo> { inner };
            for (var k = 1; k < depth; k++)
            {
                chain.Add(_rng.Chance(0.05) ? Function("") : _functions[_rng.Next(_functions.Count - 2)]);
            }

            chain.Add(Function("runtime.goexit"));
            var frames = BuildFrames(chain, stack, status == GoroutineStatus.Runnable && _rng.Chance(0.3));

            var isSyscall = status == GoroutineStatus.Syscall;
            var defers = new List<Defer>();
            var panics = new List<Panic>();
            if (_rng.Chance(0.4) || index == 1)
            {
                var n = _rng.Next(1, 4);
                for (var d = 0; d < n; d++)
                {
                    var frame = frames[_rng.Next(frames.Count)];
                    var fn = frame.Function!;
                    defers.Add(new Defer(
                        stack.Base + 0x100 + (ulong)(0x30 * d), // defer records on the stack (Go 1.13+), below the frames
                        frame.Sp,
                        d == 0 && index == 1 ? 0 : PcIn(fn, false),
                        d == 0 && index == 1 || _rng.Chance(0.3) ? null : new FuncVal(_dataBase + (ulong)(_ptr * _rng.Next(128)), Function("main.main.func1").Entry)));
                }

                if (_rng.Chance(0.5) || index == 1)
                {
                    var stringType = _types.Find(t => t.Str == "string")!;
                    var np = index == 1 ? 2 : _rng.Next(1, 3);
                    for (var p = 0; p < np; p++)
                    {
                        panics.Add(new Panic(stack.Base + (ulong)(0x40 * (p + 1)), stringType.Address, RandomPointerValue()));
                    }
                }
            }

            var sp = frames.Count > 0 ? frames[0].Sp : stack.Base + stack.ByteCount;
            var pc = frames.Count > 0 ? frames[0].Pc : 0;
            var waitReason = (byte)(status == GoroutineStatus.Waiting
                ? (index == 3 || _rng.Chance(0.1) ? 200 + _rng.Next(50) : _rng.Next(1, GoRuntime.WaitReasonStrings(_release).Length)) // index 3 (waiting by plan): always one "unknown wait reason"
                : 0);
            return new Goroutine
            {
                Address = address,
                Status = status,
                Goid = goid,
                Gopc = PcIn(gopcFn, false),
                IsSystem = index != 0 && _rng.Chance(0.2),
                WaitSince = status == GoroutineStatus.Waiting && _rng.Chance(0.5) ? 1_000_000_000L + _rng.Next(1 << 30) : 0,
                WaitReason = waitReason,
                SchedSp = isSyscall ? sp - (ulong)(_ptr * 8) : sp,
                SchedPc = isSyscall ? PcIn(Function("runtime.goexit"), false) : pc,
                SchedLr = 0,
                SchedCtxt = _rng.Chance(0.2) ? RandomPointerValue() : 0,
                SyscallSp = isSyscall ? sp : 0,
                SyscallPc = isSyscall ? pc : 0,
                M = isSyscall || _rng.Chance(0.1) ? _threadAddresses[_rng.Next(_threadAddresses.Count)] : 0,
                Frames = [.. frames],
                Defers = [.. defers],
                Panics = [.. panics],
            };
        }

        /// <summary>
        /// Frames laid out as gentraceback sees them (runtime/traceback.go): each caller's sp is its callee's fp;
        /// a frame is [MinFrameSize reserved | callee's arguments | locals | saved frame pointer (amd64, arm64) |
        /// return address (x86)]; varp = fp (less the return address on x86 and the frame pointer when
        /// enabled); argp = fp + MinFrameSize.
        /// </summary>
        private List<StackFrame> BuildFrames(List<FuncInfo> chain, PlannedSpan stack, bool startAtEntry)
        {
            var ptr = (ulong)_ptr;
            var min = (ulong)_arch.MinFrameSize;
            var x86 = !_arch.UsesLinkRegister;
            var sizes = new ulong[chain.Count];
            var localsBytes = new ulong[chain.Count];
            for (var k = 0; k < chain.Count; k++)
            {
                var f = chain[k];
                var outArgs = k == 0 ? 0 : ArgLen(chain[k - 1]);
                var locals = f.LocalsPointerMaps switch
                {
                    { Count: > 0 } m => ((ulong)m.BitCount + (ulong)_rng.Next(2)) * ptr,
                    { Count: < 0 } m => (ulong)-(long)m.Count,
                    _ => (ulong)_rng.Next(4) * ptr,
                };
                var leaf = k == 0 && !x86 && locals == 0 && _rng.Chance(0.3);
                var size = leaf ? 0 : min + outArgs + locals;
                if (_arch.FramePointerEnabled && (size > 0 || x86))
                {
                    size += ptr; // saved frame pointer
                }

                if (x86)
                {
                    size += ptr; // return address pushed by CALL
                }

                // Keep the whole frame a multiple of the pointer size.
                sizes[k] = AlignUp(size, ptr);
                localsBytes[k] = locals;
            }

            var total = sizes.Aggregate(0UL, (a, b) => a + b);
            var hi = stack.Base + stack.ByteCount;
            var sp = hi - total - (ulong)(_rng.Next(4) * _ptr);
            var frames = new List<StackFrame>(chain.Count);
            for (var k = 0; k < chain.Count; k++)
            {
                var f = chain[k];
                var fp = sp + sizes[k];
                var varp = fp;
                if (x86)
                {
                    varp -= ptr;
                }

                if (varp > sp && _arch.FramePointerEnabled)
                {
                    varp -= ptr;
                }

                var contents = new byte[sizes[k]];
                for (var w = 0; w + _ptr <= contents.Length; w += _ptr)
                {
                    WriteWord(contents.AsSpan(w, _ptr), _rng.Chance(0.3) ? RandomPointerValue() : (ulong)_rng.Next(5000));
                }

                var pc = k == 0 && startAtEntry ? f.Entry : PcIn(f, k == 0);
                var continuation = _rng.Chance(0.05) ? 0 : pc;
                frames.Add(new StackFrame
                {
                    Function = f,
                    Pc = pc,
                    ContinuationPc = continuation,
                    Sp = sp,
                    Fp = fp,
                    Varp = varp,
                    Argp = fp + (ulong)_arch.MinFrameSize,
                    ArgLen = ArgLen(f),
                    Contents = System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(contents),
                });
                sp = fp;
            }

            return frames;
        }

        private ulong ArgLen(FuncInfo f) =>
            f.ArgsPointerMaps is { } m ? (ulong)m.BitCount * (ulong)_ptr : (ulong)(((f.Entry >> 4) % 4) * (ulong)_ptr);
    }
}
