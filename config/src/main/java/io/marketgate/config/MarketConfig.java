package io.marketgate.config;

import io.marketgate.config.internal.Messages;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.FailureMode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One market of an environment: its budgets, the calls that draw from them, and how its collector fleet behaves
 * when the limiter's store is unreachable.
 *
 * <pre>{@code
 * MarketConfig coupang = environment.market("coupang");
 * PriorityLimiter limiter = PriorityLimiter.builder()
 *         .budgets(coupang.limiterBudgets())
 *         .failureMode(coupang.failureMode())
 *         .store(store)
 *         .build();
 * }</pre>
 *
 * @param name the market's key in the file, a {@link Budget#NAME_PART}
 * @param displayName for people (dashboards, CLI output); the name when the file gives none
 * @param fleetSize the collector's maximum concurrency, ≥ 1: local fallback grants {@code limit / fleetSize} per instance
 * @param failureModeKind the market's own failure mode, or the environment's default
 * @param budgets by name inside the market, in file order
 * @param calls by name, in file order
 * @param adapter how the handlers talk to the market; empty for a market that has budgets but no adapter yet
 */
public record MarketConfig(
        String name,
        String displayName,
        int fleetSize,
        FailureModeKind failureModeKind,
        Map<String, BudgetConfig> budgets,
        Map<String, CallConfig> calls,
        Optional<AdapterConfig> adapter) {

    public MarketConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(failureModeKind, "failureModeKind");
        Objects.requireNonNull(adapter, "adapter");
        budgets = Collections.unmodifiableMap(new LinkedHashMap<>(budgets));
        calls = Collections.unmodifiableMap(new LinkedHashMap<>(calls));
    }

    /** A market without an adapter section. */
    public MarketConfig(String name, String displayName, int fleetSize, FailureModeKind failureModeKind,
            Map<String, BudgetConfig> budgets, Map<String, CallConfig> calls) {
        this(name, displayName, fleetSize, failureModeKind, budgets, calls, Optional.empty());
    }

    /** The limiter's failure mode for this market's collectors. */
    public FailureMode failureMode() {
        return failureModeKind.toFailureMode(fleetSize);
    }

    /** The call named {@code callName}; throws {@link IllegalArgumentException} listing the market's calls when there is none. */
    public CallConfig call(String callName) {
        CallConfig call = calls.get(callName);
        if (call == null) {
            throw new IllegalArgumentException(Messages.unknownCall(name, callName, calls.keySet()));
        }
        return call;
    }

    /** The budget named {@code budgetName} inside this market; throws {@link IllegalArgumentException} listing the market's budgets when there is none. */
    public BudgetConfig budget(String budgetName) {
        BudgetConfig budget = budgets.get(budgetName);
        if (budget == null) {
            throw new IllegalArgumentException(Messages.unknownBudget(name, budgetName, budgets.keySet()));
        }
        return budget;
    }

    /** This market's budgets as the limiter takes them, in file order. */
    public List<Budget> limiterBudgets() {
        return budgets.values().stream().map(BudgetConfig::budget).toList();
    }

    /**
     * This market's adapter section when it speaks the market's own protocol of {@code type} (what an adapter's
     * factory checks before it builds the adapter).
     *
     * @throws IllegalArgumentException naming the market and the adapter it has instead
     */
    public MarketApiConfig apiAdapter(AdapterType type) {
        if (adapter.orElse(null) instanceof MarketApiConfig config && config.type() == type) {
            return config;
        }
        throw new IllegalArgumentException("market " + name + " has no adapter of type " + type.configName()
                + adapter.map(a -> " (its adapter is " + a.type().configName() + ")").orElse(" (no adapter section)"));
    }

    /**
     * Whether this market offers {@code kind} ({@link Operations#KINDS}): its adapter's protocol lists it and its
     * section maps the kind's list operation ({@link Operations#listOperation}). Orders need only an adapter.
     */
    public boolean offersKind(String kind) {
        return adapter.filter(a -> a.type().kinds().contains(kind)
                && (kind.equals("orders") || a.calls().containsKey(Operations.listOperation(kind)))).isPresent();
    }

    /** The kinds this market offers, in {@link Operations#KINDS} order. */
    public List<String> offeredKinds() {
        return Operations.KINDS.stream().filter(this::offersKind).toList();
    }

    /** Whether this market offers {@code action} ({@link Operations#ACTIONS}): its protocol has the call and its section maps it. */
    public boolean offersAction(String action) {
        return adapter.filter(a -> a.type().actions().contains(action)
                && a.calls().containsKey(Operations.actionOperation(action))).isPresent();
    }

    /** The actions this market offers, in {@link Operations#ACTIONS} order. */
    public List<String> offeredActions() {
        return Operations.ACTIONS.stream().filter(this::offersAction).toList();
    }

    /**
     * Why this market does not offer {@code kind}, for an error message: {@code "naver does not offer reviews (its
     * protocol naver has no list of reviews)"}; empty when it offers it.
     */
    public Optional<String> kindRefusal(String kind) {
        if (offersKind(kind)) {
            return Optional.empty();
        }
        if (adapter.isEmpty()) {
            return Optional.of(name + " has no adapter section, so it offers nothing to collect");
        }
        AdapterConfig a = adapter.get();
        if (!a.type().kinds().contains(kind)) {
            return Optional.of(name + " does not offer " + kind + " (its protocol " + a.type().configName() + " has no list of "
                    + kind + "; it offers " + String.join(", ", offeredKinds()) + ")");
        }
        return Optional.of(name + " does not offer " + kind + " (its adapter.calls does not map " + Operations.listOperation(kind)
                + "; it offers " + String.join(", ", offeredKinds()) + ")");
    }

    /** Why this market does not offer {@code action}, for an error message; empty when it offers it. */
    public Optional<String> actionRefusal(String action) {
        if (offersAction(action)) {
            return Optional.empty();
        }
        String offered = offeredActions().isEmpty() ? "none" : String.join(", ", offeredActions());
        if (adapter.isEmpty() || !adapter.get().type().actions().contains(action)) {
            return Optional.of(name + " does not offer " + action + adapter.map(a -> " (its protocol " + a.type().configName()
                    + " has no such call; it offers " + offered + ")").orElse(" (no adapter section)"));
        }
        return Optional.of(name + " does not offer " + action + " (its adapter.calls does not map "
                + Operations.actionOperation(action) + "; it offers " + offered + ")");
    }
}
