/// A fictional service map for the demo install, in the demo's fictional
/// locations: what a caseworker searches when planning a referral.
enum DemoServices {
    static func csv(agencyCode: String) -> String {
        """
        id,organisation,name,service_type,location,address,hours,contact,girls,boys,women,men,lgbti,disability,other,coordination_registration,agency,active
        cedar-clinic-health,Cedar Community Clinic (demo),Clinical management of rape and primary care,health,sub_cedar_centre,Clinic street 4,"Sun-Thu 08:00-16:00, emergencies 24h",+000 100 200,entry_point,entry_point,entry_point,entry_point,entry_point,entry_point,entry_point,GBV-SC-014,,yes
        willow-safe-space,Willow Women and Girls Safe Space (demo),Psychosocial support and case management,psychosocial,sub_willow,Next to the market,Sun-Thu 09:00-15:00,+000 100 300,entry_point,,entry_point,,entry_point,entry_point,,GBV-SC-021,,yes
        amber-legal-aid,Amber Legal Aid Network (demo),Legal counselling and representation,legal,gov_amber,,Mon-Thu 09:00-14:00,legal@example.org,funnelling,funnelling,funnelling,funnelling,funnelling,funnelling,funnelling,GBV-SC-030,,yes
        lotus-shelter,Lotus Safe Shelter (demo),Emergency safe shelter,safety_shelter,dist_lotus,Address given on referral only,24h,Through the hotline +000 100 400,funnelling,,funnelling,,funnelling,funnelling,,GBV-SC-008,,yes
        jasmine-child-friendly,Jasmine Child Friendly Space (demo),Child protection and psychosocial activities,protection,sub_jasmine_camp,Block C,Sat-Thu 08:00-13:00,+000 100 500,entry_point,entry_point,,,,entry_point,,CP-SC-003,,yes
        demo-case-management,\(agencyCode) case management (demo),GBV and child protection case management,protection,gov_amber,,Sun-Thu 08:00-16:00,+000 100 600,entry_point,entry_point,entry_point,entry_point,entry_point,entry_point,entry_point,GBV-SC-001,\(agencyCode),yes
        olive-livelihoods,Olive Skills Centre (demo),Vocational training for women,livelihoods,dist_olive,,Sun-Wed 10:00-14:00,+000 100 700,,,funnelling,,,funnelling,,,,yes

        """
    }
}
