package io.marketgate.market;

import io.marketgate.config.BudgetScope;
import io.marketgate.limiter.Budget;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The seller a market call is made for, with the keys that per-instance budgets are counted by: a {@code seller}
 * budget by the seller's id, a {@code vendor} budget by the vendor id, a {@code mall} budget by the mall id. On most
 * markets the seller's account id is also its vendor and mall id, so both default to it.
 *
 * <pre>{@code
 * Seller coupangSeller = Seller.of("A00012345");                  // coupang/vendor:A00012345
 * Seller cafe24Seller = Seller.of("s-1042").withMallId("shop42"); // cafe24/mall:shop42
 * }</pre>
 *
 * @param id the seller's id at the market (also the path segment of the reference protocol)
 * @param vendorId the key of {@code vendor} budgets, when it differs from {@code id}
 * @param mallId the key of {@code mall} budgets, when it differs from {@code id}
 */
public record Seller(String id, Optional<String> vendorId, Optional<String> mallId) {

    /** The public credential field that names a seller's vendor (Coupang's). */
    public static final String VENDOR_ID = "vendorId";
    /** The public credential field that names a seller's mall. */
    public static final String MALL_ID = "mallId";

    public Seller {
        checkKey("seller.id", id);
        Objects.requireNonNull(vendorId, "seller.vendorId");
        Objects.requireNonNull(mallId, "seller.mallId");
        vendorId.ifPresent(v -> checkKey("seller.vendorId", v));
        mallId.ifPresent(m -> checkKey("seller.mallId", m));
    }

    /** A seller whose vendor and mall ids are its id. */
    public static Seller of(String id) {
        return new Seller(id, Optional.empty(), Optional.empty());
    }

    /**
     * A seller whose vendor and mall ids come from the public fields of its credentials where its market issues them
     * ({@code vendorId} for Coupang, {@code mallId} for a mall-scoped market; see
     * {@link io.marketgate.market.auth.Credentials#publicFields()}), else its id.
     *
     * <pre>{@code
     * Seller s = Seller.of("seller-1", Map.of("vendorId", "A00012345"));   // coupang/vendor:A00012345
     * }</pre>
     */
    public static Seller of(String id, Map<String, String> publicFields) {
        Objects.requireNonNull(publicFields, "publicFields");
        return new Seller(id, Optional.ofNullable(publicFields.get(VENDOR_ID)), Optional.ofNullable(publicFields.get(MALL_ID)));
    }

    public Seller withVendorId(String vendorId) {
        return new Seller(id, Optional.of(vendorId), mallId);
    }

    public Seller withMallId(String mallId) {
        return new Seller(id, vendorId, Optional.of(mallId));
    }

    /**
     * The budgets {@code call} draws from for this seller: each configured budget of a per-instance scope (vendor,
     * seller, mall) as this seller's instance ({@code coupang/vendor:A00012345}), the others as configured.
     *
     * @param budgets the call's market's budgets by name ({@code MarketConfig.budgets()})
     */
    public java.util.List<String> budgetsOf(io.marketgate.config.CallConfig call, java.util.Map<String, io.marketgate.config.BudgetConfig> budgets) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (String qualified : call.budgets()) {
            io.marketgate.limiter.BudgetName name = io.marketgate.limiter.BudgetName.parse(qualified);
            io.marketgate.config.BudgetConfig budget = budgets.get(name.budget());
            names.add((budget.scope().perInstance() ? name.withInstance(instanceKey(budget.scope())) : name).toString());
        }
        return names;
    }

    /** The instance key of a per-instance budget of {@code scope} for this seller. */
    public String instanceKey(BudgetScope scope) {
        return switch (scope) {
            case SELLER -> id;
            case VENDOR -> vendorId.orElse(id);
            case MALL -> mallId.orElse(id);
            case ENDPOINT, APP, API_KEY -> throw new IllegalArgumentException(
                    "budget scope " + scope.configName() + " is one budget for the fleet and has no per-seller instance");
        };
    }

    private static void checkKey(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing");
        }
        if (!Budget.KEY.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " '" + value
                    + "' must be 1 to 128 letters, digits, '_', '.', '@' or '-' (it names budget instances and URL paths)");
        }
    }
}
