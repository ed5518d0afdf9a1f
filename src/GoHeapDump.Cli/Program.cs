using System.CommandLine;
using GoHeapDump.Cli;

return GoHeapDumpCli.Run(args, Console.Out, Console.Error);
