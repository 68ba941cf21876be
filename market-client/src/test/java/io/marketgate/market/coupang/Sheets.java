package io.marketgate.market.coupang;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Coupang's bodies as its documentation shows them, built for the tests. */
final class Sheets {

    static final ObjectMapper JSON = new ObjectMapper();

    private Sheets() {}

    /** An order sheet with one item per vendorItemId. */
    static ObjectNode sheet(long shipmentBoxId, long orderId, String status, String paidAt, long... vendorItemIds) {
        ObjectNode sheet = JSON.createObjectNode()
                .put("shipmentBoxId", shipmentBoxId)
                .put("orderId", orderId)
                .put("orderedAt", paidAt)
                .put("paidAt", paidAt)
                .put("status", status);
        sheet.putObject("orderer").put("name", "신*희").put("email", "eu*****@na").put("safeNumber", "0503-**-5464");
        sheet.putObject("receiver").put("name", "신*희").put("safeNumber", "0503-**-5464").put("addr1", "경기 오산시")
                .put("addr2", "109동 *호").put("postCode", "447-700");
        ArrayNode items = sheet.putArray("orderItems");
        for (long id : vendorItemIds) {
            items.addObject().put("vendorItemId", id).put("vendorItemName", "item " + id).put("shippingCount", 1)
                    .put("orderPrice", 19900).put("sellerProductId", 80240831).put("cancelCount", 0);
        }
        sheet.put("deliveryCompanyName", "").put("invoiceNumber", "");
        return sheet;
    }

    /** The sheet, shipped with {@code invoiceNumber}. */
    static ObjectNode shipped(ObjectNode sheet, String status, String invoiceNumber) {
        return sheet.put("status", status).put("deliveryCompanyName", "CJ 대한통운").put("invoiceNumber", invoiceNumber);
    }

    /** {@code {"code":200,"message":"OK","data":[sheets…],"nextToken":nextToken}}. */
    static String list(String nextToken, ObjectNode... sheets) {
        ObjectNode body = JSON.createObjectNode().put("code", 200).put("message", "OK");
        ArrayNode data = body.putArray("data");
        for (ObjectNode s : sheets) {
            data.add(s);
        }
        body.put("nextToken", nextToken);
        return body.toString();
    }

    /** A read of one box: {@code {"code":200,"message":"OK","data":sheet}}. */
    static String one(ObjectNode sheet) {
        ObjectNode body = JSON.createObjectNode().put("code", 200).put("message", "OK");
        body.set("data", sheet);
        return body.toString();
    }

    /** An invoice result with one box's line. */
    static String invoiceResult(int responseCode, long shipmentBoxId, boolean succeed, String resultCode, String resultMessage,
            boolean retryRequired) {
        ObjectNode body = JSON.createObjectNode().put("code", "200").put("message", "OK");
        ObjectNode data = body.putObject("data").put("responseCode", responseCode)
                .put("responseMessage", responseCode == 0 ? "SUCCESS" : responseCode == 1 ? "PARTIAL_ERROR" : "FAILED");
        data.putArray("responseList").addObject().put("shipmentBoxId", shipmentBoxId).put("succeed", succeed)
                .put("resultCode", resultCode).put("retryRequired", retryRequired).put("resultMessage", resultMessage);
        return body.toString();
    }
}
