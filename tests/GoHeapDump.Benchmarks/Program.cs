using BenchmarkDotNet.Running;

// `dotnet run -c Release --project tests/GoHeapDump.Benchmarks -- --filter '*'` runs the BenchmarkDotNet
// suites in this assembly. Side-by-side comparisons with the Go yardsticks are separate modes, added per area.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>Entry point type (referenced for assembly discovery).</summary>
internal sealed partial class Program;
