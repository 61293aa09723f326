package com.harmony.catalog;

import static com.harmony.catalog.CatalogFixtures.category;
import static com.harmony.catalog.CatalogFixtures.product;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.harmony.catalog.CatalogViews.CategoryView;
import com.harmony.catalog.CatalogViews.ProductPage;
import com.harmony.catalog.CatalogViews.ProductSummary;
import com.harmony.catalog.CatalogViews.ProductView;
import com.harmony.catalog.CatalogViews.VariantView;
import io.quarkus.test.junit.QuarkusTest;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The JSON PostgreSQL builds has exactly the fields the documented records (and so the spec) promise:
 * a renamed or forgotten key fails here, not in a partner's generated client.
 */
@QuarkusTest
class CatalogContractTest {

    private static Set<String> fields(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
                .map(n -> n.replaceAll("([A-Z])", "_$1").toLowerCase()).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void productVariantSummaryPageAndCategoryMatchTheirDocumentedShapes() {
        String cat = category(null);
        Map<String, Object> product = product(cat, "Contract", 100, 1);
        assertEquals(fields(ProductView.class), new TreeSet<>(product.keySet()));
        @SuppressWarnings("unchecked")
        Map<String, Object> variant = ((List<Map<String, Object>>) product.get("variants")).get(0);
        assertEquals(fields(VariantView.class), new TreeSet<>(variant.keySet()));

        Map<String, Object> page = given().get("/v1/products?category=" + cat).then().statusCode(200).extract().jsonPath().getMap("");
        assertEquals(fields(ProductPage.class), new TreeSet<>(page.keySet()));
        Map<String, Object> summary = given().get("/v1/products?category=" + cat).then().extract().jsonPath().getMap("data[0]");
        assertEquals(fields(ProductSummary.class), new TreeSet<>(summary.keySet()));

        Map<String, Object> category = given().get("/v1/categories/" + cat).then().statusCode(200).extract().jsonPath().getMap("");
        assertEquals(fields(CategoryView.class), new TreeSet<>(category.keySet()));
    }
}
