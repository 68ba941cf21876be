package io.marketgate.embedded.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class EmbeddedDynamoDbTest {

    @TempDir
    Path tmp;

    @Test
    void two_servers_listen_on_their_own_loopback_ports_with_their_own_data() {
        // GIVEN two servers
        try (EmbeddedDynamoDb a = EmbeddedDynamoDb.start(); EmbeddedDynamoDb b = EmbeddedDynamoDb.start();
                DynamoDbClient ca = a.client(); DynamoDbClient cb = b.client()) {
            // WHEN a table is made in one
            ca.createTable(t -> t.tableName("only-in-a").keySchema(k -> k.attributeName("pk").keyType("HASH"))
                    .attributeDefinitions(d -> d.attributeName("pk").attributeType("S")).billingMode("PAY_PER_REQUEST"));

            // THEN
            assertThat(a.endpoint().getHost()).isEqualTo("127.0.0.1");
            assertThat(a.endpoint().getPort()).isNotEqualTo(b.endpoint().getPort());
            assertThat(ca.listTables().tableNames()).containsExactly("only-in-a");
            assertThat(cb.listTables().tableNames()).isEmpty();
        }
    }

    @Test
    void close_ends_the_server() {
        // GIVEN a server that answers
        EmbeddedDynamoDb server = EmbeddedDynamoDb.start();
        int port = server.endpoint().getPort();
        assertThat(accepts(port)).isTrue();

        // WHEN
        server.close();

        // THEN nothing listens on its port any more
        assertThat(accepts(port)).isFalse();
    }

    @Test
    void a_jvm_killed_outright_leaves_no_dynalite_behind() throws Exception {
        // GIVEN another JVM that started a server and printed its port
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StartAndWait.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int port;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).as("the child JVM's first line").startsWith("port ");
            port = Integer.parseInt(line.substring(5));
            assertThat(accepts(port)).isTrue();

            // WHEN the JVM is killed with SIGKILL: no shutdown hook runs
            jvm.destroyForcibly();
            assertThat(jvm.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }

        // THEN dynalite sees its stdin close and exits
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (accepts(port) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(accepts(port)).as("dynalite on port " + port + " after its JVM died").isFalse();
    }

    /** Run in a child JVM by {@link #a_jvm_killed_outright_leaves_no_dynalite_behind}. */
    static final class StartAndWait {
        public static void main(String[] args) throws InterruptedException {
            EmbeddedDynamoDb server = EmbeddedDynamoDb.start();
            System.out.println("port " + server.endpoint().getPort());
            System.out.flush();
            Thread.sleep(60_000);
        }
    }

    @Test
    void marketgate_dynalite_that_is_not_dynalite_is_an_error_naming_the_variable() {
        // GIVEN MARKETGATE_DYNALITE naming an empty directory
        Dynalite.Surroundings where = new Dynalite.Surroundings(
                Map.of("PATH", System.getenv("PATH"), Dynalite.DYNALITE_ENV, tmp.toString(),
                        Dynalite.NODE_ENV, Dynalite.locate().node().toString()),
                List.of(tmp));

        // WHEN / THEN
        assertThatThrownBy(() -> Dynalite.locate(where)).isInstanceOf(EmbeddedDynamoDbException.class)
                .hasMessageContaining(Dynalite.DYNALITE_ENV + " is " + tmp).hasMessageContaining("package directory");
    }

    @Test
    void marketgate_dynalite_may_name_the_cli_js_of_a_dynalite_package() {
        // GIVEN the cli.js of the dynalite this JVM runs
        Path dynalite = Dynalite.locate().dynalite();
        Dynalite.Surroundings where = new Dynalite.Surroundings(Map.of("PATH", System.getenv("PATH"),
                Dynalite.DYNALITE_ENV, dynalite.resolve("cli.js").toString(),
                Dynalite.NODE_ENV, Dynalite.locate().node().toString()), List.of(tmp));

        // WHEN / THEN its package directory is used
        assertThat(Dynalite.locate(where).dynalite()).isEqualTo(dynalite);
    }

    @Test
    void a_node_older_than_22_is_an_error_that_says_how_to_get_a_newer_one() throws IOException {
        // GIVEN only a node 20 on the PATH, outside any repository
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        executable(bin.resolve("node"), "#!/bin/sh\necho v20.11.1\n");
        Dynalite.Surroundings where = new Dynalite.Surroundings(Map.of("PATH", bin.toString()), List.of(tmp));

        // WHEN / THEN
        assertThatThrownBy(() -> Dynalite.locate(where)).isInstanceOf(EmbeddedDynamoDbException.class)
                .hasMessageContaining("Node.js 22 or newer").hasMessageContaining("node v20.11.1")
                .hasMessageContaining("scripts/find-node.sh").hasMessageContaining(Dynalite.NODE_ENV);
    }

    @Test
    void marketgate_node_older_than_22_is_an_error_naming_the_variable() throws IOException {
        // GIVEN MARKETGATE_NODE naming a node 20
        Path node = executable(tmp.resolve("node"), "#!/bin/sh\necho v20.11.1\n");
        Dynalite.Surroundings where = new Dynalite.Surroundings(Map.of(Dynalite.NODE_ENV, node.toString()), List.of(tmp));

        // WHEN / THEN
        assertThatThrownBy(() -> Dynalite.locate(where)).isInstanceOf(EmbeddedDynamoDbException.class)
                .hasMessageContaining(Dynalite.NODE_ENV + " is " + node).hasMessageContaining("v20.11.1");
    }

    @Test
    void no_dynalite_and_no_npm_is_an_error_that_says_how_to_install_it() throws IOException {
        // GIVEN a PATH with a new enough node and nothing else, outside any repository, with an empty cache
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("node"), Dynalite.locate().node());
        Dynalite.Surroundings where = new Dynalite.Surroundings(Map.of("PATH", bin.toString(),
                "XDG_CACHE_HOME", tmp.toString()), List.of(tmp));

        // WHEN / THEN
        assertThatThrownBy(() -> Dynalite.locate(where)).isInstanceOf(EmbeddedDynamoDbException.class)
                .hasMessageContaining("dynalite (the embedded DynamoDB) is not installed")
                .hasMessageContaining(tmp.resolve("marketgate/dynalite").toString())
                .hasMessageContaining("apt-get install npm")
                .hasMessageContaining("npm install -g dynalite@" + Dynalite.pinnedVersion())
                .hasMessageContaining(Dynalite.DYNALITE_ENV);
    }

    @Test
    void the_repository_is_found_from_a_module_directory() throws IOException {
        // GIVEN a repository layout
        Files.writeString(tmp.resolve("mvnw"), "");
        Files.createDirectories(tmp.resolve("embedded-aws"));
        Files.writeString(tmp.resolve("embedded-aws/pom.xml"), "");
        Path module = Files.createDirectories(tmp.resolve("lambda-handlers/target"));

        // WHEN / THEN
        assertThat(Dynalite.repository(List.of(Path.of("/nonexistent-home"), module))).contains(tmp);
        assertThat(Dynalite.repository(List.of(Path.of("/")))).isEmpty();
    }

    @Test
    void the_pinned_version_is_the_one_the_lock_installs() throws IOException {
        // GIVEN the package.json and package-lock.json beside Dynalite
        String lock = new String(Dynalite.class.getResourceAsStream("dynalite/package-lock.json").readAllBytes(),
                StandardCharsets.UTF_8);

        // WHEN / THEN
        assertThat(Dynalite.pinnedVersion()).isEqualTo("4.0.0");
        assertThat(lock).containsPattern("\"node_modules/dynalite\": \\{\\s*\"version\": \"4\\.0\\.0\"");
        assertThat(Dynalite.pinnedInstall(tmp).getFileName().toString()).matches("4\\.0\\.0-[0-9a-f]{12}");
    }

    @Test
    void find_dynalite_sh_looks_where_the_jvm_installs() throws Exception {
        // GIVEN the repository this test runs in
        Path repository = Dynalite.repository(List.of(Path.of(System.getProperty("user.dir")))).orElseThrow();

        // WHEN the script that scripts/test and the launcher use names the install directory
        Process bash = new ProcessBuilder("bash", "-c", "source scripts/find-dynalite.sh && mg_dynalite_dir \"$PWD\"")
                .directory(repository.toFile()).redirectErrorStream(true).start();
        String printed = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(bash.waitFor(10, TimeUnit.SECONDS)).isTrue();

        // THEN it is the one Dynalite installs to
        assertThat(printed).isEqualTo(Dynalite.pinnedInstall(repository.resolve(".marketgate/dynalite"))
                .resolve("node_modules/dynalite").toString());
    }

    @Test
    void jvms_installing_at_once_install_once_and_each_finds_a_complete_install() throws Exception {
        // GIVEN an empty install directory and three JVMs (surefire forks, modules) that all need dynalite now
        Path npm = onPath("npm");
        assertThat(npm).as("npm on the PATH (scripts/test installs it)").isNotNull();
        Path base = tmp.resolve("dynalite");
        List<Process> jvms = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jvms.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Install.class.getName(), base.toString(), npm.toString(),
                    Dynalite.locate().node().toString()).redirectErrorStream(true).start());
        }

        // WHEN they finish
        List<String> outputs = new ArrayList<>();
        for (Process jvm : jvms) {
            outputs.add(new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
            assertThat(jvm.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(jvm.exitValue()).as(outputs.get(outputs.size() - 1)).isZero();
        }

        // THEN all name the same install, which is complete, with no temporary directory left
        Path install = Dynalite.pinnedInstall(base);
        assertThat(outputs).containsOnly("installed " + install);
        assertThat(install.resolve("node_modules/dynalite/index.js")).isRegularFile();
        try (var entries = Files.list(base)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    install.getFileName().toString(), ".install.lock");
        }
    }

    /** Run in child JVMs by {@link #jvms_installing_at_once_install_once_and_each_finds_a_complete_install}. */
    static final class Install {
        public static void main(String[] args) {
            Path install = Dynalite.install(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
            System.out.println("installed " + install);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path executable(Path file, String script) throws IOException {
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv("PATH").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
