package io.marketgate.market.elevenst;

import java.nio.charset.Charset;

/** 11st's answers as its documentation and public clients show them, for the classification tests. */
final class Xml {

    static final String NS = "http://skt.tmall.business.openapi.spring.service.client.domain/";
    static final Charset EUC_KR = Charset.forName("EUC-KR");
    static final Charset MS949 = Charset.forName("x-windows-949");
    static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"euc-kr\" standalone=\"yes\"?>";

    private Xml() {}

    /** {@code <ns2:orders>} of the given {@code <ns2:order>} elements. */
    static String orders(String... lines) {
        return DECLARATION + "<ns2:orders xmlns:ns2=\"" + NS + "\">" + String.join("", lines) + "</ns2:orders>";
    }

    /** 11st's empty list: result code 0 and "no results". */
    static String noResults() {
        return DECLARATION + "<ns2:orders xmlns:ns2=\"" + NS + "\"><ns2:result_code>0</ns2:result_code>"
                + "<ns2:result_text>조회된 결과가 없습니다.</ns2:result_text></ns2:orders>";
    }

    /**
     * One line in the shape of 11st's packaging sample (a production client's fixture): the keys, the state, the
     * times, the product, the receiver, empty and whitespace-only elements.
     */
    static String line(String ordNo, String seq, String dlvNo, String state, String paidAt) {
        return "<ns2:order><addPrdNo>0</addPrdNo><addPrdYn>N</addPrdYn><bndlDlvSeq>0</bndlDlvSeq><bndlDlvYN>N</bndlDlvYN>"
                + "<custGrdNm>일반고객</custGrdNm><delaySendDt>\n</delaySendDt><dlvCst>2500</dlvCst><dlvEtprsCd>\n</dlvEtprsCd>"
                + "<dlvMthdCd>null</dlvMthdCd><dlvNo>" + dlvNo + "</dlvNo><dlvSndDue>2020-01-08 00:00:00</dlvSndDue>"
                + "<invcNo></invcNo><memID>xxxxxx</memID><ordAmt>24900</ordAmt><ordDt>2020-01-05 21:40:00</ordDt>"
                + "<ordNo>" + ordNo + "</ordNo><ordPayAmt>24910</ordPayAmt><ordPrdSeq>" + seq + "</ordPrdSeq>"
                + "<ordPrdStat>" + state + "</ordPrdStat><ordQty>1</ordQty><ordStlEndDt>" + paidAt + "</ordStlEndDt>"
                + "<plcodrCnfDt>2020-01-06 08:23:18</plcodrCnfDt>"
                + "<prdNm>[텐바이텐] Dot cherry bear-ipad pouch(아이패드 파우치) 똠</prdNm><prdNo>2627560696</prdNo>"
                + "<rcvrBaseAddr>경기도 안산시 단원구 </rcvrBaseAddr><rcvrNm>홍길동</rcvrNm>"
                + "<slctPrdOptNm>선택:FREE-1개</slctPrdOptNm></ns2:order>";
    }

    /** {@code <ResultOrder>} with a result code and text. */
    static String result(String code, String text) {
        return DECLARATION + "<ResultOrder><result_code>" + code + "</result_code><result_text>" + text + "</result_text></ResultOrder>";
    }

    /** The gateway's refusal of an unregistered IP address, as a public client saw it live. */
    static String ipRefused(String ip) {
        return "<?xml version=\"1.0\" encoding=\"EUC-KR\" standalone=\"yes\"?><AuthMessage><resultCode>-500</resultCode>"
                + "<resultMessage>[" + ip + "]인증된 IP가 아닙니다. 등록된 IP 정보를 확인하십시오.</resultMessage></AuthMessage>";
    }
}
