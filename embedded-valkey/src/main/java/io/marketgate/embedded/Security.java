package io.marketgate.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * How a server is locked down: TLS only ({@code certificates}, also on the cluster bus and the replication link) and
 * ACL users (the default user off; the harness's own user, which replicas also authenticate to their masters with;
 * the user under test with its rules). {@link #NONE}: plaintext, the default user.
 */
record Security(TestCertificates certificates, String harnessUser, String harnessPassword, AclUser user) {

    static final Security NONE = new Security(null, null, null, null);

    /** The ACL user under test: its name, its password, and its rules as ACL SETUSER takes them ({@code ~mg* -@all +@read}). */
    record AclUser(String name, String password, String rules) {
        @Override
        public String toString() {
            return "AclUser[" + name + ", " + rules + "]";
        }
    }

    @Override
    public String toString() {
        return "Security[tls=" + (certificates != null) + ", user=" + user + "]";
    }

    /** Writes the server's configuration file of these settings into {@code dir} (readable by its owner only). */
    Path writeConfig(Path dir) {
        List<String> lines = new ArrayList<>();
        if (certificates != null) {
            lines.add("tls-cert-file " + quoted(certificates.certificateFile()));
            lines.add("tls-key-file " + quoted(certificates.privateKeyFile()));
            lines.add("tls-ca-cert-file " + quoted(certificates.caFile()));
            // clients authenticate with their ACL user, as on ElastiCache, not with a client certificate
            lines.add("tls-auth-clients no");
            lines.add("tls-cluster yes");
            lines.add("tls-replication yes");
        }
        if (user != null) {
            lines.add("user default off");
            lines.add("user " + harnessUser + " on >" + harnessPassword + " ~* &* +@all");
            lines.add("user " + user.name() + " on >" + user.password() + " " + user.rules());
            lines.add("masteruser " + harnessUser);
            lines.add("masterauth " + harnessPassword);
        }
        Path file = dir.resolve("secure.conf");
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
        return file;
    }

    private static String quoted(Path file) {
        return "\"" + file.toAbsolutePath() + "\"";
    }
}
