package io.marketgate.cdk;

import static io.marketgate.cdk.Resources.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * Who may touch the sellers' secrets ({@code <env>/marketgate/sellers/<market>/<sellerId>}): a market's collector and
 * actions consumer read that market's only, the API writes every market's and reads none but those of the markets whose
 * sellers connect by consent (Cafe24ConnectionsTest), no other function any.
 */
class SellerSecretsIamTest {

    private final Synthesized dev = Synthesized.environment("dev");
    private final Template functions = dev.template(dev.stacks.functions());

    /** The (action, resource) pairs of the role's statements that name the sellers' secrets, resources rendered as text. */
    private List<String> sellerSecretGrants(String rolePart) {
        List<String> grants = new ArrayList<>();
        for (Map<String, Object> policy : Resources.properties(functions, "AWS::IAM::Policy")) {
            if (!String.valueOf(policy.get("Roles")).contains(rolePart)) {
                continue;
            }
            for (Object st : Resources.list(at(policy, "PolicyDocument", "Statement"))) {
                @SuppressWarnings("unchecked") Map<String, Object> statement = (Map<String, Object>) st;
                for (Object resource : Resources.list(statement.get("Resource"))) {
                    String text = String.valueOf(resource);
                    if (text.contains("/marketgate/sellers/")) {
                        for (Object action : Resources.list(statement.get("Action"))) {
                            grants.add(action + " " + text.substring(text.indexOf(":secret:") + ":secret:".length()));
                        }
                    }
                }
            }
        }
        return grants;
    }

    @Test
    void a_collector_reads_its_own_markets_sellers_secrets_and_no_other_markets() {
        // coupang's collector: GetSecretValue on dev/marketgate/sellers/coupang/* only
        List<String> coupang = sellerSecretGrants("CollectorCoupang");
        assertThat(coupang).isNotEmpty().allSatisfy(g -> assertThat(g).startsWith("secretsmanager:GetSecretValue dev/marketgate/sellers/coupang/*"));
        assertThat(coupang).noneMatch(g -> g.contains("/naver/") || g.contains("sellers/*"));
        // and naver's collector naver's only
        List<String> naver = sellerSecretGrants("CollectorNaver");
        assertThat(naver).isNotEmpty().allSatisfy(g -> assertThat(g).startsWith("secretsmanager:GetSecretValue dev/marketgate/sellers/naver/*"));
        assertThat(sellerSecretGrants("ActionsCoupang")).isNotEmpty()
                .allSatisfy(g -> assertThat(g).startsWith("secretsmanager:GetSecretValue dev/marketgate/sellers/coupang/*"));
    }

    @Test
    void the_api_registers_and_removes_every_markets_sellers_secrets_and_reads_only_those_of_markets_that_connect_by_consent() {
        List<String> api = sellerSecretGrants("ApiRole");
        List<String> manage = api.stream().filter(g -> !g.startsWith("secretsmanager:GetSecretValue")).toList();
        assertThat(manage).extracting(g -> g.substring(0, g.indexOf(' '))).containsExactlyInAnyOrderElementsOf(FunctionsStack.SELLER_SECRET_MANAGE);
        assertThat(manage).allSatisfy(g -> assertThat(g).contains("dev/marketgate/sellers/*"));
        List<String> consent = dev.deployment.infrastructure().markets().keySet().stream()
                .filter(dev.deployment::connectsByConsent).map(m -> "dev/marketgate/sellers/" + m + "/*").toList();
        assertThat(api).filteredOn(g -> g.startsWith("secretsmanager:GetSecretValue"))
                .extracting(g -> g.substring(g.indexOf(' ') + 1, g.indexOf('*') + 1)).containsExactlyInAnyOrderElementsOf(consent);
    }

    @Test
    void the_scheduler_and_the_job_worker_touch_no_sellers_secret() {
        assertThat(sellerSecretGrants("SchedulerRole")).isEmpty();
        assertThat(sellerSecretGrants("JobWorkerRole")).isEmpty();
    }
}
