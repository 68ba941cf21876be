package io.marketgate.devtools.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.marketgate.cli.ExitCodes;
import io.marketgate.cli.Home;
import io.marketgate.cli.UsageException;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.local.LocalPlatform;
import io.marketgate.local.Scenario;
import io.marketgate.local.ScenarioLoader;
import io.marketgate.local.SimulationReport;
import io.marketgate.local.SimulationRun;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code marketgate chaos}: every scenario of {@code scenarios/chaos/} on the local platform with real Valkey, one after
 * another, and one table of what the faults did to the promises (docs/reliability.md).
 */
@Command(name = "chaos",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the chaos scenarios (scenarios/chaos/*.yaml: markets that answer badly, throttle, block or refuse us;",
            "Valkey paused and restarted, a master of a Valkey cluster failed over; collectors killed mid-batch, duplicate",
            "deliveries, a skewed clock; all of them",
            "during a spike) on the local platform with Valkey, and prints one table: calls, calls over budget at the",
            "market, 429s received, lost, duplicates, dead letters (with reasons), HIGH done / asked, HIGH wait p99 and",
            "duration ÷ minimum; then each promise that was not kept, BROKEN or a LIMIT of the design",
            "(docs/reliability.md). Each scenario's report.json, report.html and lambda.log go into --report-dir."},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {"0:every promise kept (or not kept only where docs/reliability.md says the design cannot)",
            "1:bad scenario or configuration", ExitCodes.USAGE_LINE, "3:a promise was broken (each one is named)"})
public final class ChaosCommand implements Callable<Integer> {
    static final int BROKEN_EXIT = 3;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the table as JSON instead of text.")
    boolean json;

    @Option(names = {"-o", "--report-dir"}, defaultValue = "target/chaos", paramLabel = "DIR",
            description = "Where each scenario's reports go, in a folder named for it (default: ${DEFAULT-VALUE}).")
    Path reportDir;

    @Option(names = "--scenarios", paramLabel = "DIR", description = "The chaos scenarios' folder (default: scenarios/chaos of the project).")
    Path scenarios;

    @Option(names = "--only", paramLabel = "NAME", split = ",",
            description = "Run only these scenarios (their file names without .yaml), comma-separated.")
    List<String> only;

    @Option(names = "--environments", paramLabel = "DIR", description = "Folder of the environment files (default: environments/ of the project).")
    Path environments;

    @Override
    public Integer call() throws IOException {
        Path dir = scenarios != null ? scenarios : Home.dir().resolve("scenarios").resolve("chaos");
        if (!Files.isDirectory(dir)) {
            throw new UsageException("--scenarios " + dir + " is not a folder");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
        if (only != null && !only.isEmpty()) {
            Set<String> names = files.stream().map(ChaosCommand::baseName).collect(Collectors.toSet());
            for (String name : only) {
                if (!names.contains(name)) {
                    throw new UsageException("--only " + name + ": no " + name + ".yaml in " + dir + "; there are " + names.stream().sorted().toList());
                }
            }
            files = files.stream().filter(f -> only.contains(baseName(f))).toList();
        }
        if (files.isEmpty()) {
            throw new UsageException("no scenario (*.yaml) in " + dir);
        }
        Path envDir = environments != null ? environments : Home.environments();
        // every scenario is validated before the first one runs: a typo in the last must not cost the others' minutes
        Map<Scenario, EnvironmentConfig> runs = new LinkedHashMap<>();
        for (Path file : files) {
            EnvironmentConfig env = EnvironmentLoader.load(envDir, ScenarioLoader.environmentOf(file));
            Set<String> drivable = env.markets().values().stream().filter(m -> m.adapter().isPresent())
                    .map(m -> m.name()).collect(Collectors.toSet());
            runs.put(ScenarioLoader.load(file, drivable), env);
        }
        PrintStream err = System.err;
        List<ChaosRow> rows = new ArrayList<>();
        long suiteStart = System.nanoTime();
        for (Map.Entry<Scenario, EnvironmentConfig> run : runs.entrySet()) {
            Scenario scenario = run.getKey();
            Path out = reportDir.resolve(scenario.name());
            Files.createDirectories(out);
            err.printf("chaos: %s (%d faults: %s) ...%n", scenario.name(), scenario.faults().size(),
                    scenario.faults().stream().map(Scenario.Fault::type).distinct().collect(Collectors.joining(", ")));
            SimulationReport report;
            PrintStream originalOut = System.out;
            try (PrintStream handlersOut = new PrintStream(new FileOutputStream(out.resolve("lambda.log").toFile()), true,
                    StandardCharsets.UTF_8)) {
                // the handlers' JSON logs and EMF metrics go to the scenario's lambda.log, as simulate does
                System.setOut(handlersOut);
                report = new SimulationRun(run.getValue(), scenario, LocalPlatform.StoreKind.VALKEY, err, (done, total) -> { }).run();
            } finally {
                System.setOut(originalOut);
            }
            report.write(out);
            ChaosRow row = ChaosRow.of(scenario, report);
            rows.add(row);
            err.printf("chaos: %s done in %.1f s: %d broken, %d limits%n", scenario.name(), row.durationSeconds(),
                    row.broken().size(), row.limits().size());
        }
        double suiteSeconds = (System.nanoTime() - suiteStart) / 1e9;
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> tree = new LinkedHashMap<>();
            tree.put("suiteSeconds", Math.round(suiteSeconds * 10) / 10.0);
            tree.put("scenarios", rows.stream().map(ChaosRow::json).toList());
            tree.put("broken", rows.stream().mapToLong(r -> r.broken().size()).sum());
            w.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree));
        } else {
            w.print(ChaosTable.render(rows, suiteSeconds));
        }
        w.flush();
        return rows.stream().anyMatch(r -> !r.broken().isEmpty()) ? BROKEN_EXIT : 0;
    }

    private static String baseName(Path file) {
        return file.getFileName().toString().replaceFirst("\\.yaml$", "");
    }
}
