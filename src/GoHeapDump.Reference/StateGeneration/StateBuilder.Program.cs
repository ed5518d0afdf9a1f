using System.Collections.Immutable;
using System.Globalization;
using GoHeapDump.Runtime;

namespace GoHeapDump.Reference;

public static partial class StateBuilder
{
    /// <summary>The state generator: the program: functions with their stack maps (the symbol table), types and itabs.</summary>
    private sealed partial class Generator
    {
        private static readonly string[] FunctionNames =
        [
            "runtime.gopark", "runtime.goparkunlock", "runtime.chanrecv", "runtime.chanrecv1", "runtime.selectgo",
            "runtime.semacquire1", "sync.runtime_SemacquireMutex", "sync.(*Mutex).lockSlow", "sync.(*WaitGroup).Wait",
            "runtime.netpollblock", "internal/poll.runtime_pollWait", "internal/poll.(*pollDesc).wait",
            "internal/poll.(*FD).Read", "net.(*netFD).Read", "net.(*conn).Read", "bufio.(*Reader).fill",
            "net/http.(*conn).serve", "net/http.(*Server).Serve", "syscall.Syscall", "syscall.read", "os.(*File).Read",
            "main.worker", "main.(*Cache).Get", "main.process", "main.main", "main.main.func1", "runtime.main",
            "runtime.forcegchelper", "runtime.bgsweep", "runtime.bgscavenge", "runtime.runfinq", "runtime.gcBgMarkWorker",
            "runtime.mallocgc", "runtime.newobject", "runtime.makeslice", "runtime.growslice", "runtime.mapassign_fast64",
            "main.buildTree", "main.(*Node).Insert", "encoding/json.Unmarshal", "time.Sleep", "runtime.timeSleep",
            "", "runtime.goexit",
        ];

        private static readonly string[] Files =
        [
            "/usr/lib/go/src/runtime/proc.go", "/usr/lib/go/src/runtime/chan.go", "/usr/lib/go/src/runtime/select.go",
            "/usr/lib/go/src/runtime/malloc.go", "/usr/lib/go/src/sync/mutex.go", "/usr/lib/go/src/net/http/server.go",
            "/home/gopher/app/main.go", "/home/gopher/app/cache.go", "/usr/lib/go/src/runtime/asm_amd64.s",
        ];

        private void BuildFunctions()
        {
            var entry = _textBase;
            foreach (var name in FunctionNames)
            {
                var size = (ulong)(0x40 + (_rng.Next(0x60) * 0x10));
                var fn = NewFunction(name, entry, entry + size);
                _functions.Add(fn);
                _functionsByName[name] = fn;
                entry += size + (ulong)(_rng.Next(4) * 0x10); // gaps: padding findfunc does not resolve here
            }
        }

        private FuncInfo NewFunction(string name, ulong entry, ulong end)
        {
            var isGoexit = name == "runtime.goexit";
            var argWords = isGoexit ? 0 : _rng.Next(7);
            StackMap? args = null;
            if (argWords > 0 && _rng.Chance(0.85))
            {
                args = RandomMap(_rng.Next(1, 4), argWords);
            }

            StackMap? locals = null;
            if (!isGoexit)
            {
                var kind = _rng.Next(10);
                locals = kind switch
                {
                    < 6 => RandomMap(_rng.Next(1, 5), _rng.Next(9)),
                    6 => StackMap.LocalsSize(_ptr * _rng.Next(1, 7)),
                    7 => new StackMap { Count = 0 },
                    _ => null, // no locals information: every word is dumped
                };
            }

            // The stack-map index must stay below every map's bitmap count.
            var limit = int.MaxValue;
            if (locals is { Count: > 0 })
            {
                limit = locals.Count;
            }

            if (args is not null)
            {
                limit = Math.Min(limit, args.Count);
            }

            PcTable<int>? index = null;
            if (limit != int.MaxValue && (limit > 1 || _rng.Chance(0.5)))
            {
                index = SplitTable(entry, end, () => _rng.Next(-1, limit));
            }

            PcTable<SourceLine>? lines = null;
            if (!_rng.Chance(0.08))
            {
                var file = _rng.Pick(Files);
                var line = _rng.Next(20, 3000);
                lines = SplitTable(entry, end, () => _rng.Chance(0.03) ? new SourceLine(file, -1) : new SourceLine(file, line += _rng.Next(1, 9)));
            }

            return new FuncInfo
            {
                Entry = entry,
                End = end,
                Name = name,
                ArgsPointerMaps = args,
                LocalsPointerMaps = locals,
                StackMapIndex = index,
                Lines = lines,
            };
        }

        private PcTable<T> SplitTable<T>(ulong entry, ulong end, Func<T> value)
        {
            var runs = ImmutableArray.CreateBuilder<PcRun<T>>();
            var pieces = _rng.Next(1, 5);
            var at = entry;
            for (var i = 1; i < pieces; i++)
            {
                var next = at + (ulong)_rng.Next(1, (int)Math.Max(2, (end - at) / (ulong)(pieces - i + 1)));
                if (next >= end)
                {
                    break;
                }

                runs.Add(new PcRun<T>(next, value()));
                at = next;
            }

            runs.Add(new PcRun<T>(end, value()));
            return new PcTable<T>(runs.ToImmutable());
        }

        private StackMap RandomMap(int count, int bits)
        {
            var maps = new BitVector[count];
            for (var i = 0; i < count; i++)
            {
                var b = new BitVector.Builder(bits);
                for (var k = 0; k < bits; k++)
                {
                    b[k] = _rng.Chance(0.4);
                }

                maps[i] = b.ToBitVector();
            }

            return new StackMap { Count = count, BitCount = bits, Bitmaps = [.. maps] };
        }

        private FuncInfo Function(string name) => _functionsByName[name];

        private ulong PcIn(FuncInfo f, bool allowEntry) =>
            allowEntry && _rng.Chance(0.1) ? f.Entry : f.Entry + 1 + (ulong)_rng.Next((int)(f.End - f.Entry - 1));

        // ---------------------------------------------------------------- types and itabs

        private static readonly (string PkgPath, string Short)[] Packages =
        [
            ("main", "main"), ("net/http", "http"), ("os", "os"), ("io", "io"), ("bufio", "bufio"),
            ("encoding/json", "json"), ("sync", "sync"), ("context", "context"), ("time", "time"), ("fmt", "fmt"),
            ("internal/poll", "poll"), ("github.com/acme/store/v2", "store"),
        ];

        private static readonly string[] TypeWords =
        [
            "Node", "Server", "Conn", "Reader", "Writer", "Cache", "Entry", "Request", "Response", "Mutex", "Timer",
            "Decoder", "Encoder", "File", "Header", "Pool", "Context", "Value", "Error", "Handler",
        ];

        private void BuildTypes()
        {
            var count = Math.Clamp(40 + (_objects / 2000), 40, 3000);
            var address = _rodataBase;
            var hotBucket = (uint)_rng.Next(256);
            string[] builtins = ["int", "string", "error", "[]uint8", "*int", "map[string]int", "struct {}", "func()"];
            for (var i = 0; i < count; i++)
            {
                address += (ulong)(0x30 + (_rng.Next(8) * 0x10));
                var hash = (uint)_rng.NextUInt64();
                if (i % 7 == 3 && i < 60)
                {
                    hash = (hash & ~0xffu) | hotBucket; // several types in one bucket: the 4-way cache evicts
                }

                var (pkgPath, shortPkg) = _rng.Pick(Packages);
                var word = TypeWords[i % TypeWords.Length] + (i >= TypeWords.Length ? (i / TypeWords.Length).ToString(CultureInfo.InvariantCulture) : "");
                var kind = i < builtins.Length ? 0 : _rng.Next(1, 7);
                var size = (ulong)(_ptr * _rng.Next(1, 12));
                RuntimeType t = kind switch
                {
                    // Builtin or unnamed types: no package path, the type string is the name.
                    0 => new RuntimeType
                    {
                        Address = address, Hash = hash, Str = builtins[i], Size = size,
                        Named = !builtins[i].Contains(' ', StringComparison.Ordinal) && char.IsLetter(builtins[i][0]),
                        PkgPath = builtins[i] == "struct {}" ? GoString.Empty : (GoString?)null,
                        DirectIface = builtins[i].StartsWith('*'), PtrData = builtins[i].StartsWith('*') ? (ulong)_ptr : 0,
                    },

                    // Pointer to a named type: has methods (uncommon, pkgpath) but no name: dumps as "pkgpath.".
                    1 or 2 => new RuntimeType
                    {
                        Address = address, Hash = hash, Str = $"*{shortPkg}.{word}", Size = (ulong)_ptr, PkgPath = pkgPath,
                        DirectIface = true, PtrData = (ulong)_ptr, ExtraStar = false,
                    },

                    // Generic instantiation: the name keeps its bracketed type arguments, dots and all.
                    3 => new RuntimeType
                    {
                        // (Before Go 1.18 there were no generic types: a plain named type instead.)
                        Address = address, Hash = hash, ExtraStar = true,
                        Str = _realistic && !_release.IsAtLeast(1, 18) ? $"*{shortPkg}.{word}Box" : $"*{shortPkg}.Box[{shortPkg}.{word},int]",
                        Named = true, PkgPath = pkgPath, Size = size, PtrData = size / 2 / (ulong)_ptr * (ulong)_ptr,
                    },

                    // Named struct, stored with the extra star the pointer type shares.
                    _ => new RuntimeType
                    {
                        Address = address, Hash = hash, Str = $"*{shortPkg}.{word}", ExtraStar = true, Named = true,
                        PkgPath = pkgPath, Size = size, PtrData = _rng.Chance(0.6) ? (ulong)_ptr * (ulong)_rng.Next(1, (int)(size / (ulong)_ptr) + 1) : 0,
                        DirectIface = false,
                    },
                };
                _types.Add(t);
            }
        }

        /// <summary>The type *main.Node: what a 1.22+ malloc header or large span names for the pointer arrays of the heap.</summary>
        private RuntimeType? _nodePointer;

        /// <summary>
        /// Types a realistic state needs besides the itabs' ones (no random draws: the seed's other parts stay as they are):
        /// *main.Node, and for Go 1.5/1.6 the pointer type of each type stored indirectly in interfaces (their itabs name it).
        /// </summary>
        private void AddReleaseTypes()
        {
            var address = _types.Count > 0 ? _types.Max(t => t.Address) : _rodataBase;
            _nodePointer = new RuntimeType
            {
                Address = address += 0x40, Hash = 0x6e6f6465, Str = "*main.Node", Size = (ulong)_ptr, PtrData = (ulong)_ptr,
                GCMask = BitVector.Ones(1), DirectIface = true,
            };
            _types.Add(_nodePointer);
            if (_release.IsAtLeast(1, 7))
            {
                return;
            }

            for (var i = 0; i < _types.Count; i++)
            {
                var t = _types[i];
                if (!t.DirectIface && t.PtrTo is null)
                {
                    var ptrTo = new RuntimeType
                    {
                        Address = address += 0x40, Hash = t.Hash * 31 + 7, Str = "*" + TypeStringOf(t), Size = (ulong)_ptr,
                        PtrData = (ulong)_ptr, DirectIface = true,
                    };
                    _types[i] = t with { PtrTo = ptrTo };
                    _types.Add(ptrTo);
                }
            }
        }

        private static string TypeStringOf(RuntimeType t) => t.ExtraStar ? t.Str.ToString()[1..] : t.Str.ToString();

        private List<Itab> BuildItabs()
        {
            var count = _types.Count * 3 / 2;
            var itabs = new List<Itab>(count);
            var address = _rodataBase + 0x100000;
            for (var i = 0; i < count; i++)
            {
                address += (ulong)(4 * _ptr) + (ulong)(_ptr * 2 * _rng.Next(3));
                // A few hot types appear in many itabs (cache hits), the rest once or twice.
                var t = _rng.Chance(0.3) ? _types[_rng.Next(Math.Min(12, _types.Count))] : _types[_rng.Next(_types.Count)];
                itabs.Add(new Itab(address, t));
            }

            return itabs;
        }
    }
}
